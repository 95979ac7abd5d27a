#!/usr/bin/env bash
# Build the wheel, install it into a clean virtualenv (dependencies from the hashed lock
# file) and run it: the wheel users and installers get, not the editable checkout.
#
#   bash scripts/wheel-smoke.sh            # ~30 s with a warm pip cache
#
# Checks: `zsm-desk --version`, `zsm-desk demo` on a temporary database, `zsm-desk print
# dag` (a real PDF), `zsm-desk zelftest` (window + plan preview, offscreen), that all
# commands are there (print, decide, outbox, adviesvraag, monitor, zelftest), that the lock
# file covers every dependency (pip check), and that the wheel holds the migrations, fonts,
# icon, .desktop file and LICENSE.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/zsm-wheel-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)

echo ">> wheel"
"$PY" -m pip wheel -q --no-deps -w "$WORK/dist" "$ROOT" 2>&1 | grep -v "is ignored" || true
WHEEL="$(ls "$WORK"/dist/zsm_desk-*.whl)"
"$PY" - "$WHEEL" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = [
    "zsm_desk/migrations/env.py", "zsm_desk/migrations/script.py.mako",
    "zsm_desk/migrations/versions/0001_initial_schema.py",
    "zsm_desk/resources/fonts/DejaVuSans.ttf", "zsm_desk/resources/icons/zsm-desk.svg",
    "zsm_desk/resources/icons/zsm-desk.ico", "zsm_desk/resources/linux/zsm-desk.desktop",
    "zsm_desk/cli_print.py", "zsm_desk/cli_outbox.py", "zsm_desk/cli_adviesvraag.py",
    "zsm_desk/cli_monitor.py",
]
missing = [n for n in need if n not in names]
if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
    missing.append("LICENSE")
if missing:
    sys.exit(f"wheel mist: {', '.join(missing)}")
print(f"   {sys.argv[1].rsplit('/', 1)[-1]}: {len(names)} bestanden, alles aanwezig")
PY

echo ">> clean venv, dependencies from installers/requirements.lock (--require-hashes)"
"$PY" -m venv "$WORK/venv"
V="$WORK/venv/bin"
"$V/python" -m pip install -q --require-hashes -r "$ROOT/installers/requirements.lock" 2>&1 \
  | grep -v "is ignored" || true
"$V/python" -m pip install -q --no-deps "$WHEEL" 2>&1 | grep -v "is ignored" || true
"$V/python" -m pip check

echo ">> smoke test (outside the source tree)"
cd "$WORK"
export QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring
export ZSM_DESK_LOG_DIR="$WORK/log" ZSM_DESK_MACHINE_CONFIG="$WORK/none.toml" \
  ZSM_DESK_USER_CONFIG="$WORK/none-user.toml"
unset ZSM_DESK_DB
DB="sqlite:///$WORK/smoke.sqlite"
Z="$V/zsm-desk"
"$V/python" -c "import zsm_desk, sys; assert '$WORK/venv' in zsm_desk.__file__, zsm_desk.__file__"
"$Z" --version
"$Z" demo --db "$DB"
"$Z" print dag --db "$DB" --out "$WORK/dag.pdf"
head -c 5 "$WORK/dag.pdf" | grep -q "%PDF-" || { echo "print dag: geen PDF" >&2; exit 1; }
for cmd in print decide outbox adviesvraag monitor zelftest; do
  "$Z" --help | grep -qw "$cmd" || { echo "opdracht $cmd ontbreekt in de wheel" >&2; exit 1; }
done
"$Z" match --db "$DB" --json > /dev/null
"$Z" zelftest --db "$DB"   # the window and the plan preview (QtPdf), offscreen
"$Z" audit verify --db "$DB"
test -s "$WORK/log/zsm-desk.log" || { echo "geen logbestand geschreven" >&2; exit 1; }
echo "wheel smoke test took $(( $(date +%s) - start )) s"
echo "wheel-smoke: 1 passed, 0 failed"
