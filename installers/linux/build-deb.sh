#!/usr/bin/env bash
# Build dist/zsm-desk_<version>_amd64.deb around the PyInstaller bundle.
#
#   bash installers/linux/build-deb.sh                 # builds the bundle first if needed
#   bash installers/linux/build-deb.sh path/to/bundle  # around a given bundle folder
#
# Installs to /opt/zsm-desk, with /usr/bin/zsm-desk and /usr/bin/zsm-desk-gui, a .desktop
# file, the icon (hicolor), the licence, and an example machine configuration in
# /usr/share/doc/zsm-desk/ (IT copies it to /etc/zsm-desk/zsm-desk.toml).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BUNDLE="${1:-$ROOT/dist/zsm-desk}"
if [ ! -x "$BUNDLE/zsm-desk" ]; then
  [ $# -eq 0 ] || { echo "build-deb: geen bundel in $BUNDLE" >&2; exit 2; }
  bash "$ROOT/installers/pyinstaller/build-bundle.sh"
fi
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb ontbreekt" >&2; exit 2; }
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' zsm_desk/__init__.py)"
ARCH=amd64
STAGE="$ROOT/build/deb/zsm-desk_${VERSION}_${ARCH}"
OUT="$ROOT/dist/zsm-desk_${VERSION}_${ARCH}.deb"
ICONS="$ROOT/zsm_desk/resources/icons"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/48x48/apps" \
  "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/zsm-desk"
cp -a "$BUNDLE" "$STAGE/opt/zsm-desk"
chmod -R u=rwX,go=rX "$STAGE/opt/zsm-desk"
for prog in zsm-desk zsm-desk-gui; do
  cat > "$STAGE/usr/bin/$prog" <<SH
#!/bin/sh
exec /opt/zsm-desk/$prog "\$@"
SH
  chmod 0755 "$STAGE/usr/bin/$prog"
done
install -m 0644 zsm_desk/resources/linux/zsm-desk.desktop "$STAGE/usr/share/applications/"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$STAGE/usr/share/applications/zsm-desk.desktop"
fi
install -m 0644 "$ICONS/zsm-desk-256.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/zsm-desk.png"
install -m 0644 "$ICONS/zsm-desk-48.png" "$STAGE/usr/share/icons/hicolor/48x48/apps/zsm-desk.png"
install -m 0644 "$ICONS/zsm-desk.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/zsm-desk.svg"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: zsm-desk"
  echo
  echo "Files: *"
  echo "License: EUPL-1.2"
  echo
  echo "License: EUPL-1.2"
  sed 's/^$/./; s/^/ /' LICENSE
} > "$STAGE/usr/share/doc/zsm-desk/copyright"
install -m 0644 installers/linux/zsm-desk.toml.example "$STAGE/usr/share/doc/zsm-desk/"
SIZE_KB="$(du -sk "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<CTL
Package: zsm-desk
Version: ${VERSION}
Architecture: ${ARCH}
Maintainer: ZSM Desk <beheer@zsm-desk.example.org>
Installed-Size: ${SIZE_KB}
Section: misc
Priority: optional
Depends: libc6 (>= 2.34), libglib2.0-0, libgl1, libegl1, libfontconfig1, libfreetype6,
 libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libx11-6, libx11-xcb1, libxcb1,
 libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0,
 libxcb-render-util0, libxcb-render0, libxcb-shape0, libxcb-shm0, libxcb-sync1,
 libxcb-xfixes0, libxcb-xkb1, libxcb-glx0, libxrender1, libsm6, libice6, fonts-dejavu-core
Recommends: gnome-keyring | kwalletmanager
Homepage: https://zsm-desk.example.org
Description: ZSM Desk: client voor het ZSM-afstemmingsoverleg
 Wachtrij van ingestroomde verdachten, afgestemd op de registers van de
 veiligheidshuizen (bekende cliënten), afdrukken van het plan van aanpak,
 vastleggen van de beslissing en terugkoppeling naar elk veiligheidshuis.
 Machine-instellingen: /etc/zsm-desk/zsm-desk.toml (zie
 /usr/share/doc/zsm-desk/zsm-desk.toml.example).
CTL
cat > "$STAGE/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
SH
chmod 0755 "$STAGE/DEBIAN/postinst"
mkdir -p "$ROOT/dist"
# xz: 98 MB but ~3 min on a busy 2-core machine; DEB_COMPRESSION=gzip is quicker and larger.
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$STAGE" "$OUT" >/dev/null
echo ">> $(basename "$OUT"): $(du -h "$OUT" | cut -f1)"
