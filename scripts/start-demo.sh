#!/usr/bin/env bash
# Install everything, load a synthetic demo day into the embedded SQLite
# database and open the window. Usage: scripts/start-demo.sh [--seed N]
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
# shellcheck disable=SC2086
apt_install python3 $QT_PACKAGES
make_venv "postgres"
# The demo has its own database file; a real ZSM_DESK_DB is never touched.
ZSM_DESK_DB="$("$VENV/bin/python" -c 'from zsm_desk.services.storage.db import demo_url; print(demo_url())')"
export ZSM_DESK_DB
# Neither the machine's settings (/etc/zsm-desk) nor the user's own are read:
# a `configuratie` named there would be imported into the demo day.
ZSM_DESK_MACHINE_CONFIG="${ZSM_DESK_MACHINE_CONFIG:-$ROOT/scripts/demo-instellingen.toml}"
ZSM_DESK_USER_CONFIG="${ZSM_DESK_USER_CONFIG:-$ROOT/scripts/demo-instellingen.toml}"
export ZSM_DESK_MACHINE_CONFIG ZSM_DESK_USER_CONFIG
"$VENV/bin/zsm-desk" demo --db "$ZSM_DESK_DB" --overschrijven "$@"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Geen beeldscherm gevonden: het venster start onder Xvfb (xvfb-run)."
  apt_install xvfb xauth
  exec xvfb-run -a -s "-screen 0 1600x950x24" "$VENV/bin/zsm-desk"
fi
exec "$VENV/bin/zsm-desk"
