#!/usr/bin/env bash
# Install everything (Debian packages, PostgreSQL, Python packages), start a
# PostgreSQL server and run the whole test suite on SQLite and PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
# shellcheck disable=SC2086
apt_install python3 $QT_PACKAGES xvfb xauth poppler-utils postgresql
make_venv "test"

# --- PostgreSQL: a real server on loopback ---------------------------------
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h localhost -p 5432 && break; sleep 1; done
pg_isready -h localhost -p 5432
$sudo su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='zsm') THEN CREATE ROLE zsm LOGIN CREATEDB PASSWORD 'zsm'; END IF; END \\\$\\\$;\" -c \"GRANT pg_signal_backend TO zsm\"" 
export ZSM_TEST_PG_URL="postgresql+psycopg://zsm:zsm@localhost:5432/postgres"

cd "$ROOT"
# Lint and types are part of the run: a finding fails it, before any test runs.
echo ">> ruff"
"$VENV/bin/ruff" check zsm_desk tests benchmarks scripts
echo ">> mypy"
"$VENV/bin/mypy" zsm_desk
echo ">> pytest (SQLite and PostgreSQL)"
# Xvfb gives the few tests that open a real (xcb) window a screen.
exec xvfb-run -a -s "-screen 0 1600x950x24" "$VENV/bin/python" -m pytest -n 2 -p no:cacheprovider "$@"
