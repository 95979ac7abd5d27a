#!/usr/bin/env bash
# Install, upgrade, downgrade-refuse and uninstall the MSI under wine, as a test.
#
#   bash installers/windows/test-msi-wine.sh [BUNDLE_DIR]
#
# Builds two MSIs with build-msi.sh around the bundle (default: a small synthetic
# bundle with the same layout, so the test takes seconds instead of packing 300 MB):
# version A (0.1.0) and B (0.1.1, one file added, one removed). Checks, in a fresh
# 64-bit wine prefix:
#   install A    files in C:\Program Files\ZSM Desk, Start-menu shortcut, HKLM key
#   upgrade to B one product registered (B), B's new file there, A's dropped file gone
#   install A    refused (downgrade), B stays
#   uninstall B  program folder, shortcut and key gone; user data and the machine
#                configuration (%ProgramData%\ZSM Desk\zsm-desk.toml) stay
# Needs wine (Debian: wine wine64) and wixl/msitools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v wine >/dev/null || { echo "test-msi-wine: wine ontbreekt (apt-get install wine wine64)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/zsm-msi-wine.XXXXXX")"
cleanup() { WINEPREFIX="$WORK/prefix" wineserver -k 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -n "${KEEP_WINE:-}" ] && trap - EXIT
start=$(date +%s)

bundle_a="$WORK/bundle-a"; bundle_b="$WORK/bundle-b"
if [ $# -ge 1 ]; then
  cp -a "$1" "$bundle_a"
else
  mkdir -p "$bundle_a/_internal/zsm_desk/migrations/versions" "$bundle_a/_internal/PySide6/Qt/translations"
  for f in zsm-desk.exe zsm-desk-gui.exe _internal/python312.dll \
           _internal/zsm_desk/migrations/env.py _internal/zsm_desk/migrations/versions/0001_initial_schema.py \
           _internal/PySide6/Qt/translations/qtbase_nl.qm _internal/oud-bestand.txt; do
    echo "ZSM Desk testbestand $f" > "$bundle_a/$f"
  done
fi
cp -a "$bundle_a" "$bundle_b"
rm -f "$bundle_b/_internal/oud-bestand.txt"
echo "nieuw in 0.1.1" > "$bundle_b/_internal/nieuw-bestand.txt"
MSI_OUT="$WORK/a.msi" bash "$ROOT/installers/windows/build-msi.sh" "$bundle_a" 0.1.0 >/dev/null
MSI_OUT="$WORK/b.msi" bash "$ROOT/installers/windows/build-msi.sh" "$bundle_b" 0.1.1 >/dev/null

export WINEPREFIX="$WORK/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
echo ">> wine prefix"
wineboot -i >/dev/null 2>&1 || true
wineserver -w
C="$WINEPREFIX/drive_c"
WUSER="$(id -un)"
PF="$C/Program Files/ZSM Desk"
# Windows puts a per-machine shortcut in ProgramData's Start menu; wine (8.0) puts it in
# the installing user's own Start menu. Either counts here; see docs/installeren.md.
lnk() { find "$C/ProgramData/Microsoft/Windows/Start Menu/Programs" \
  "$C/users/$WUSER/AppData/Roaming/Microsoft/Windows/Start Menu/Programs" \
  -name "ZSM Desk.lnk" 2>/dev/null | head -1; }
products() {  # DisplayVersion of every installed ZSM Desk product
  wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null \
    | tr -d '\r' | awk '/^HKEY/ {k=$0} /DisplayName.*ZSM Desk/ {hit[k]=1} /DisplayVersion/ {v[k]=$NF} END {for (k in hit) print v[k]}'
}
msi() { wine msiexec "$@" /qn >/dev/null 2>&1; }
fail=0; n=0
check() { n=$((n + 1)); if eval "$2"; then echo "   ok   $1"; else echo "   FOUT $1"; fail=$((fail + 1)); fi; }

echo ">> install 0.1.0"
msi /i "$(winepath -w "$WORK/a.msi")" && rc=0 || rc=$?
check "msiexec /i 0.1.0 geslaagd" '[ "$rc" -eq 0 ]'
check "programma in Program Files" '[ -f "$PF/zsm-desk-gui.exe" ] && [ -f "$PF/zsm-desk.exe" ] && [ -f "$PF/_internal/zsm_desk/migrations/env.py" ]'
check "snelkoppeling ZSM Desk in het Startmenu" '[ -n "$(lnk)" ]'
check "HKLM\\Software\\ZSM Desk InstallDir" 'wine reg query "HKLM\\Software\\ZSM Desk" /v InstallDir 2>/dev/null | grep -q "ZSM Desk"'
check "geregistreerd als 0.1.0" '[ "$(products)" = "0.1.0" ]'
# user data and IT's machine configuration, which the MSI must never touch
mkdir -p "$C/users/$WUSER/AppData/Local/zsm-desk" "$C/ProgramData/ZSM Desk"
echo "gegevens" > "$C/users/$WUSER/AppData/Local/zsm-desk/zsm-desk.sqlite"
echo 'zsm_locatie = "ZSM Test"' > "$C/ProgramData/ZSM Desk/zsm-desk.toml"

echo ">> upgrade to 0.1.1"
msi /i "$(winepath -w "$WORK/b.msi")" && rc=0 || rc=$?
check "msiexec /i 0.1.1 geslaagd" '[ "$rc" -eq 0 ]'
check "één product, versie 0.1.1" '[ "$(products)" = "0.1.1" ]'
check "nieuw bestand van 0.1.1 aanwezig" '[ -f "$PF/_internal/nieuw-bestand.txt" ]'
check "vervallen bestand van 0.1.0 weg" '[ ! -e "$PF/_internal/oud-bestand.txt" ]'
check "gebruikersgegevens ongemoeid" '[ -f "$C/users/$WUSER/AppData/Local/zsm-desk/zsm-desk.sqlite" ]'

echo ">> downgrade to 0.1.0 is refused"
msi /i "$(winepath -w "$WORK/a.msi")" && rc=0 || rc=$?
check "msiexec /i 0.1.0 geweigerd" '[ "$rc" -ne 0 ]'
check "0.1.1 blijft" '[ "$(products)" = "0.1.1" ] && [ -f "$PF/_internal/nieuw-bestand.txt" ]'

echo ">> uninstall"
msi /x "$(winepath -w "$WORK/b.msi")" && rc=0 || rc=$?
check "msiexec /x geslaagd" '[ "$rc" -eq 0 ]'
check "programmamap weg" '[ ! -e "$PF/zsm-desk-gui.exe" ] && [ ! -e "$PF/_internal" ]'
check "snelkoppeling weg" '[ -z "$(lnk)" ]'
check "geen product meer geregistreerd" '[ -z "$(products)" ]'
check "gebruikersgegevens blijven" '[ -f "$C/users/$WUSER/AppData/Local/zsm-desk/zsm-desk.sqlite" ]'
check "machineconfiguratie blijft" '[ -f "$C/ProgramData/ZSM Desk/zsm-desk.toml" ]'
echo ">> test-msi-wine took $(( $(date +%s) - start )) s"
echo "test-msi-wine: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
