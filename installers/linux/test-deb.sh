#!/usr/bin/env bash
# Install dist/zsm-desk_<version>_amd64.deb on a bare Debian 12 root and run it.
#
#   sudo bash installers/linux/test-deb.sh [path/to/zsm-desk.deb]
#
# Needs root (debootstrap, chroot, mounts) and Debian's package mirror. The bare root
# (debootstrap --variant=minbase bookworm) is cached in $ZSM_DEB12_ROOT
# (default /var/tmp/zsm-deb12-base) and copied fresh for every run.
# In the copy: apt installs the .deb (its Depends pull in the libraries Qt needs) plus
# xvfb for a screen; then, as an ordinary user:
#   zsm-desk --version; zsm-desk demo; zsm-desk print dag (a PDF);
#   zsm-desk zelftest under Xvfb: the real window, and the plan van aanpak in the print
#   preview (QtPdf); a screenshot of it is copied to dist/deb-test-preview.png.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/zsm_desk/__init__.py")"
DEB="${1:-$ROOT/dist/zsm-desk_${VERSION}_amd64.deb}"
BASE="${ZSM_DEB12_ROOT:-/var/tmp/zsm-deb12-base}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[ "$(id -u)" -eq 0 ] || { echo "test-deb: needs root (chroot)" >&2; exit 2; }
[ -f "$DEB" ] || { echo "test-deb: $DEB not found (bash installers/linux/build-deb.sh)" >&2; exit 2; }
start=$(date +%s)

if [ ! -x "$BASE/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  echo ">> debootstrap bookworm (minbase) -> $BASE"
  debootstrap --variant=minbase bookworm "$BASE" "$MIRROR" >/dev/null
fi

R="$(mktemp -d /var/tmp/zsm-deb-test.XXXXXX)"
cleanup() {
  for m in dev/pts dev proc sys; do umount -l "$R/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$R"
}
trap cleanup EXIT
cp -a "$BASE/." "$R/"
mount -t proc proc "$R/proc"
mount -t sysfs sys "$R/sys"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp "$DEB" "$R/tmp/zsm-desk.deb"
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo ">> apt install ./zsm-desk.deb (+ xvfb for a screen)"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  /tmp/zsm-desk.deb xvfb xauth > "$R/tmp/apt.log" 2>&1 || { tail -20 "$R/tmp/apt.log"; exit 1; }
test -x "$R/opt/zsm-desk/zsm-desk" && test -f "$R/usr/share/applications/zsm-desk.desktop"
test -f "$R/usr/share/icons/hicolor/256x256/apps/zsm-desk.png"
in_root useradd -m -s /bin/sh kpc
as_user() {
  chroot --userspec=kpc:kpc "$R" /usr/bin/env -i HOME=/home/kpc USER=kpc LOGNAME=kpc \
    PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}
fail=0
check() {  # check NAME COMMAND...: run as the user, report one line
  local name="$1"; shift
  if out="$(as_user "$@" 2>&1)"; then
    echo "   ok   $name: $(echo "$out" | tail -1)"
  else
    echo "   FOUT $name:"; echo "$out" | tail -15 | sed 's/^/        /'; fail=$((fail + 1))
  fi
}
echo ">> as user kpc on the bare system"
check "--version" zsm-desk --version
DB=sqlite:////home/kpc/proef.sqlite   # `zsm-desk demo` alone fills a separate demo database
check "demo" zsm-desk demo --db "$DB"
check "print dag" zsm-desk print dag --db "$DB" --out /home/kpc/dag.pdf
check "PDF" sh -c 'head -c 5 /home/kpc/dag.pdf | grep -q "%PDF-" && echo "dag.pdf is een PDF"'
check "venster + afdrukvoorbeeld (Xvfb)" \
  xvfb-run -a -s "-screen 0 1400x900x24" zsm-desk zelftest --db "$DB" --screenshot /home/kpc/preview.png
check "logbestand" sh -c 'ls /home/kpc/.local/state/zsm-desk/log/zsm-desk.log'
cp "$R/home/kpc/preview.png" "$ROOT/dist/deb-test-preview.png" 2>/dev/null || true
echo ">> test-deb took $(( $(date +%s) - start )) s"
if [ "$fail" -eq 0 ]; then echo "test-deb: 6 passed, 0 failed"; else echo "test-deb: $((6 - fail)) passed, $fail failed"; exit 1; fi
