"""Feed and register endpoints against a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from zsm_desk.app_context import AppContext
from zsm_desk.domain.settings import validate_config
from zsm_desk.services.intake import sync
from zsm_desk.services.storage import config
from zsm_desk.services.storage.models import InstroomItem, RegisterMarking

ITEM = {
    "bvh_nummer": "PL0900-2026000901",
    "ingestroomd_op": "2026-11-22T02:14:00+01:00",
    "achternaam": "Vries",
    "voorvoegsel": "de",
    "voornamen": "Jan Pieter",
    "geboortedatum": "1991-03-14",
    "bsn": "",
    "gemeente": "Utrecht",
    "feit": "Mishandeling (art. 300 Sr)",
    "categorie": "huiselijk geweld",
    "status": "te routeren",
}
PERSOON = {
    "persoon_id": "UTR0000417",
    "achternaam": "de Vries",
    "voornamen": "Jan",
    "geboortedatum": "1991-03-14",
    "slagzin": "Bij nieuw HG-feit: voorgeleiden.",
    "advies_datum": "2026-08-19",
    "gemeente": "Utrecht",
}


class _Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.fail_next = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests.append((self.path, dict(self.headers)))
                if outer.fail_next:
                    outer.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                if self.path.startswith("/feed/instroom"):
                    doc = {
                        "generated_at": "2026-11-22T09:00:00+01:00",
                        "zsm_locatie": "ZSM MN",
                        "items": [ITEM],
                    }
                elif self.path.startswith("/utr/personen"):
                    doc = {
                        "generated_at": "2026-11-22T09:00:00+01:00",
                        "vh_code": "VH-UTR",
                        "personen": [PERSOON],
                    }
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                body = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.close()


def _configure(app: AppContext, port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    settings = validate_config(
        {
            "zsm_locatie": "ZSM Midden-Nederland",
            "feed": {"url": f"{base}/feed"},
            "veiligheidshuis": [
                {
                    "code": "VH-UTR",
                    "naam": "VH Utrecht",
                    "mailbox": "centraal@vh-utrecht.example.org",
                    "gemeenten": ["Utrecht"],
                    "register_url": f"{base}/utr",
                }
            ],
        }
    )
    with app.db.session() as s:
        config.save_settings(s, settings, app.account, "test")


def test_feed_and_register_sync_match_and_use_etag(app: AppContext, server: _Server) -> None:
    _configure(app, server.port)
    reg = sync.sync_registers(app.db, app.account)
    assert reg.ok, reg.summary()
    feed = sync.sync_feed(app.db, app.account)
    assert feed.ok, feed.summary()
    with app.db.session() as s:
        item = s.execute(select(InstroomItem)).scalar_one()
        assert item.vh_status in ("bekend", "mogelijk")  # checked on arrival, nobody asked
        assert s.execute(select(RegisterMarking)).scalar_one().vh_code == "VH-UTR"
    # second round: the ETag is sent and 304 means nothing new
    again = sync.sync_feed(app.db, app.account)
    assert "niets nieuws" in again.summary()
    path, headers = server.requests[-1]
    assert headers.get("If-None-Match") == '"v1"'
    assert "since=" in path


def test_server_errors_are_reported_not_raised(
    app: AppContext, server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync, "BACKOFF", 0.01)
    _configure(app, server.port)
    server.fail_next = 99
    rep = sync.sync_feed(app.db, app.account)
    assert not rep.ok
    assert "verdachtenmonitor" in rep.summary()
    with app.db.session() as s:
        assert s.execute(select(InstroomItem)).first() is None
