"""Entry point of the frozen program (both zsm-desk and zsm-desk-gui)."""

from zsm_desk.cli import main

raise SystemExit(main())
