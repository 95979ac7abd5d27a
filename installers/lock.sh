#!/usr/bin/env bash
# Regenerate the lock files with hashes (run after changing dependencies in pyproject.toml).
#
#   bash installers/lock.sh
#
# installers/requirements.lock   the program's dependencies (+ the postgres extra), for
#                                Python 3.11+ on Linux, Windows and macOS (uv --universal)
# installers/build-tools.lock    PyInstaller and its hooks, same platforms
#
# Installer builds install with `pip install --require-hashes -r ...`, so a changed or
# swapped file on the index fails the build instead of entering the installer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV="$(command -v uv || true)"
if [ -z "$UV" ]; then
  TOOLS="${TMPDIR:-/tmp}/zsm-uv-venv"
  [ -x "$TOOLS/bin/uv" ] || { python3 -m venv "$TOOLS" && "$TOOLS/bin/pip" install -q uv; }
  UV="$TOOLS/bin/uv"
fi
common=(--universal --generate-hashes --python-version 3.11 --no-header --quiet)
"$UV" pip compile "${common[@]}" --extra postgres pyproject.toml -o installers/requirements.lock
"$UV" pip compile "${common[@]}" installers/build-tools.in -o installers/build-tools.lock
echo "lock files written: installers/requirements.lock installers/build-tools.lock"
