"""A throw-away PostgreSQL server for the tests (and the load benchmark).

`start()` runs ``initdb`` and ``pg_ctl`` from the installed server binaries
(``/usr/lib/postgresql/<version>/bin``, or ``pg_config --bindir``) in a
temporary directory, on a free loopback port, with trust authentication for
loopback only. No system cluster and no root are needed. ``initdb`` refuses to
run as root, so as root the server runs as the ``postgres`` system user with
a data directory that user owns (``runuser``).

The returned URL connects as the superuser ``postgres``; the server stops when
the process ends (atexit) or on `PgServer.stop()`.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PgUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def _bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and Path(out.stdout.strip(), "initdb").exists():
            return Path(out.stdout.strip())
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PgUnavailable("geen PostgreSQL-serverprogramma's (initdb) gevonden")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    base: Path
    port: int
    prefix: list[str]
    bindir: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if not (self.base / "data" / "postmaster.pid").exists():
            shutil.rmtree(self.base, ignore_errors=True)
            return
        subprocess.run(
            [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.base / "data"),
             "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(self.base, ignore_errors=True)


def start(*, max_connections: int = 120) -> PgServer:
    """Start a fresh server; raise `PgUnavailable` when it cannot be made."""
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="zsm-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise PgUnavailable("als root is de systeemgebruiker 'postgres' nodig") from None
        os.chown(base, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    init = subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        capture_output=True, text=True,
    )  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        raise PgUnavailable(f"initdb mislukt: {init.stderr.strip()[-300:]}")
    for attempt in range(5):
        port = _free_port()
        opts = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base} "
            f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections={max_connections} -c shared_buffers=16MB"
        )
        run = subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l",
             str(base / "server.log"), "-w", "-t", "60", "start"],
            capture_output=True, text=True,
        )  # fmt: skip
        if run.returncode == 0:
            server = PgServer(base=base, port=port, prefix=prefix, bindir=bindir)
            atexit.register(server.stop)
            return server
        time.sleep(0.2 * (attempt + 1))  # the port was taken meanwhile: another one
    log = (base / "server.log").read_text(errors="replace")[-300:] if (
        base / "server.log").exists() else ""  # fmt: skip
    shutil.rmtree(base, ignore_errors=True)
    raise PgUnavailable(f"PostgreSQL start mislukt: {log}")
