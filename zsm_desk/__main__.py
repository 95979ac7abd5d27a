from zsm_desk.cli import main

raise SystemExit(main())
