#!/usr/bin/env bash
# Build the per-machine MSI around a Windows bundle folder, on Linux, with wixl (msitools).
#
#   bash installers/windows/build-msi.sh [BUNDLE_DIR] [VERSION]
#     BUNDLE_DIR  the PyInstaller one-folder bundle with zsm-desk.exe and zsm-desk-gui.exe
#                 (default dist/zsm-desk-windows, as downloaded from the Windows CI job)
#     VERSION     default: zsm_desk.__version__
#   -> dist/zsm-desk-<version>-x64.msi
#
# The Windows CI job (installers/windows/ci-windows.yml) builds the bundle, runs this
# script (or WiX on Windows with the same .wxs) and signs exe and MSI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUNDLE="${1:-$ROOT/dist/zsm-desk-windows}"
VERSION="${2:-$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/zsm_desk/__init__.py")}"
OUT="${MSI_OUT:-$ROOT/dist/zsm-desk-${VERSION}-x64.msi}"
WORK="$ROOT/build/msi/$VERSION"
[ -d "$BUNDLE" ] || { echo "build-msi: bundelmap $BUNDLE bestaat niet" >&2; exit 2; }
if ! command -v wixl >/dev/null || ! command -v msibuild >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends wixl msitools >/dev/null
fi
mkdir -p "$WORK" "$(dirname "$OUT")"
python3 "$ROOT/installers/windows/make_wxs.py" "$BUNDLE" "$VERSION" "$WORK/zsm-desk.wxs"
(cd "$WORK" && wixl -a x64 -o "$OUT" zsm-desk.wxs)
# AppUserModelID on the Start-menu shortcut (wixl has no ShortcutProperty element):
# System.AppUserModel.ID = {9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3}, 5
AUMID="$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import make_wxs; print(make_wxs.APP_USER_MODEL_ID)' "$ROOT/installers/windows")"
printf 'MsiShortcutProperty\tShortcut_\tPropertyKey\tPropVariantValue\ns72\ts72\ts0\ts0\nMsiShortcutProperty\tMsiShortcutProperty\nAppUserModelID\tStartMenuShortcut\t{9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3}, 5\t%s\n' \
  "$AUMID" > "$WORK/MsiShortcutProperty.idt"
msibuild "$OUT" -i "$WORK/MsiShortcutProperty.idt"
echo ">> $(basename "$OUT"): $(du -h "$OUT" | cut -f1)"
