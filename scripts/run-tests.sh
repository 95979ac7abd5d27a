#!/usr/bin/env bash
# Install everything (Debian packages, PostgreSQL server binaries, Python
# packages) and run the whole test suite on SQLite and PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
# shellcheck disable=SC2086
apt_install python3 $QT_PACKAGES xvfb xauth poppler-utils postgresql
make_venv "test"

# PostgreSQL: the tests start their own throw-away server from the installed
# binaries (tests/pg_server.py); no system cluster, no root needed. Set
# ZSM_TEST_PG_URL to use an existing server instead.

cd "$ROOT"
# Lint and types are part of the run: a finding fails it, before any test runs.
if [ -z "${ZSM_SKIP_LINT:-}" ]; then  # .ci/run lints once, not on every run
  echo ">> ruff"
  "$VENV/bin/ruff" check zsm_desk tests benchmarks scripts
  echo ">> mypy"
  "$VENV/bin/mypy" zsm_desk
fi
echo ">> pytest (SQLite and PostgreSQL)"
# Xvfb gives the few tests that open a real (xcb) window a screen.
exec xvfb-run -a -s "-screen 0 1600x950x24" "$VENV/bin/python" -m pytest -n 2 -p no:cacheprovider "$@"
