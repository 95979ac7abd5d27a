#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle dist/zsm-desk/ from a clean venv made from the
# hashed lock files (never from the developer's .venv).
#
#   bash installers/pyinstaller/build-bundle.sh        # -> dist/zsm-desk/
#
# Linux here; the Windows bundle is built the same way by installers/windows/ci-windows.yml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${PYTHON:-python3}"
BUILD="$ROOT/build/pyinstaller"
VENV="$BUILD/venv"
cd "$ROOT"
mkdir -p "$BUILD"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
quiet() { grep -v "is ignored" || true; }
echo ">> build venv from installers/requirements.lock + build-tools.lock (--require-hashes)"
"$VENV/bin/python" -m pip install -q --require-hashes -r installers/requirements.lock \
  -r installers/build-tools.lock 2>&1 | quiet
rm -rf "$BUILD/wheel"
"$VENV/bin/python" -m pip wheel -q --no-deps -w "$BUILD/wheel" "$ROOT" 2>&1 | quiet
"$VENV/bin/python" -m pip install -q --no-deps --force-reinstall "$BUILD"/wheel/zsm_desk-*.whl 2>&1 | quiet
echo ">> pyinstaller"
cd "$BUILD"  # so that `import zsm_desk` in the spec's analysis finds the installed wheel
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$BUILD/work" "$ROOT/installers/pyinstaller/zsm-desk.spec"
du -sh "$ROOT/dist/zsm-desk" | awk '{print ">> bundle: dist/zsm-desk, " $1}'
# A naive build silently loses commands that cli.py loads by name: check them all.
help="$("$ROOT/dist/zsm-desk/zsm-desk" --help)"
for cmd in demo import match config secret gebruiker audit print decide outbox adviesvraag monitor zelftest; do
  grep -qw "$cmd" <<<"$help" || { echo "bundle: opdracht $cmd ontbreekt" >&2; exit 1; }
done
"$ROOT/dist/zsm-desk/zsm-desk" --version
