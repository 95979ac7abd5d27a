"""services.codelist_service: the beheerder's code list, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from zsm_desk.app_context import AppContext
from zsm_desk.domain.access import Role
from zsm_desk.domain.decisions import DEFAULT_BESLISSINGEN, DEFAULT_SEPOTCODES, CodeListError
from zsm_desk.services.decisions import decisions_service
from zsm_desk.services.security import codelist_service, users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.models import AuditEntry, Setting


def _rows() -> list[dict[str, Any]]:
    return [dict(d) for d in DEFAULT_BESLISSINGEN]


def _audits(app: AppContext) -> int:
    with app.db.session() as s:
        return audit.count(s)


def test_defaults_when_nothing_is_stored(app: AppContext) -> None:
    with app.db.session() as s:
        stored = codelist_service.load_codelist_rows(s)
    assert stored.standaard and stored.fouten == []
    assert stored.rows == _rows() and stored.sepotcodes == dict(DEFAULT_SEPOTCODES)


def test_save_is_read_by_the_decision_service_and_audited(app: AppContext) -> None:
    rows = [r for r in _rows() if r["code"] != "overig"]
    rows.append({"code": "leerstraf", "label": "  Leerstraf  ", "soort": "afdoening",
                 "volwassenen": False, "voorwaarden": "verplicht"})  # fmt: skip
    sepot = {"02": "onvoldoende bewijs", "01": "ten onrechte verdachte", "03": "oud feit"}
    before = _audits(app)
    with app.db.session() as s:
        codelist_service.save_codelist(s, rows, sepot, app.account)
    with app.db.session() as s:
        cl = decisions_service.load_codelist(s)
        stored = codelist_service.load_codelist_rows(s)
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert [d.code for d in cl][-1] == "leerstraf" and "overig" not in cl
    assert cl.label("leerstraf") == "Leerstraf"
    assert cl.sepotcodes == {"01": "ten onrechte verdachte", "02": "onvoldoende bewijs",
                             "03": "oud feit"}  # fmt: skip
    assert not stored.standaard and stored.fouten == []
    assert stored.rows[-1]["code"] == "leerstraf" and stored.rows[-1]["minderjarigen"] is True
    assert _audits(app) == before + 1
    assert last is not None and last.action == audit.SETTINGS and last.account == app.account
    assert last.detail["beslissingen"][-1] == "leerstraf"
    assert last.detail["sepotcodes"] == ["01", "02", "03"]


def test_only_sepotcodes_changed_keeps_the_default_rows_unstored(app: AppContext) -> None:
    sepot = {**DEFAULT_SEPOTCODES, "04": "beleidssepot"}
    with app.db.session() as s:
        codelist_service.save_codelist(s, _rows(), sepot, app.account)
    with app.db.session() as s:
        assert s.get(Setting, "beslissingen") is None
        assert s.get(Setting, "sepotcodes").value["04"] == "beleidssepot"
        assert decisions_service.load_codelist(s).sepotcode_label("04") == "beleidssepot"
        assert not codelist_service.load_codelist_rows(s).standaard


def test_saving_the_defaults_removes_the_settings(app: AppContext) -> None:
    with app.db.session() as s:
        codelist_service.save_codelist(s, _rows()[:1], {"01": "x"}, app.account)
        assert s.get(Setting, "beslissingen") is not None
    with app.db.session() as s:
        codelist_service.save_codelist(s, _rows(), dict(DEFAULT_SEPOTCODES), app.account)
    with app.db.session() as s:
        assert s.get(Setting, "beslissingen") is None and s.get(Setting, "sepotcodes") is None
        assert codelist_service.load_codelist_rows(s).standaard
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert last is not None and "standaard" in last.purpose


@pytest.mark.parametrize(
    ("rows", "sepot", "expected"),
    [
        ([{"code": "dagvaarden", "label": "Dagvaarden", "soort": "afdoening"}], {"01": "x"},
         "mist 'sepot'"),
        ([*_rows(), {"code": "X", "label": "x", "soort": "afdoening"}], {"01": "x"}, "ongeldig"),
        ([*_rows(), {"code": "sepot", "label": "x", "soort": "afdoening"}], {"01": "x"}, "dubbel"),
        (_rows(), {}, "sepotcodes is leeg"),
        (_rows(), {"1": "x"}, "twee cijfers"),
        ([{**r, "soort": "anders"} if r["code"] == "snelrecht" else r for r in _rows()],
         {"01": "x"}, "soort moet afdoening/routering zijn"),
    ],
)  # fmt: skip
def test_invalid_list_refused_and_nothing_stored(
    app: AppContext, rows: list[dict[str, Any]], sepot: dict[str, str], expected: str
) -> None:
    before = _audits(app)
    with app.db.session() as s, pytest.raises(CodeListError) as info:
        codelist_service.save_codelist(s, rows, sepot, app.account)
    assert any(expected in e for e in info.value.errors), info.value.errors
    with app.db.session() as s:
        assert s.get(Setting, "beslissingen") is None and s.get(Setting, "sepotcodes") is None
    assert _audits(app) == before


def test_only_a_beheerder_may_save(app: AppContext) -> None:
    with app.db.session() as s:
        users.set_roles(s, app.account, "kpc", frozenset({Role.KPC, Role.OFFICIER}))
    for account in ("kpc", "onbekend"):
        with app.db.session() as s, pytest.raises(users.NotAllowed):
            codelist_service.save_codelist(s, _rows()[:1], {"01": "x"}, account)
    with app.db.session() as s:
        assert s.get(Setting, "beslissingen") is None


def test_an_invalid_stored_list_is_shown_with_its_problems(app: AppContext) -> None:
    with app.db.session() as s:
        s.add(Setting(key="beslissingen", value=[{"code": "halt", "label": "Halt",
                                                  "soort": "afdoening"}, "rommel"]))  # fmt: skip
    with app.db.session() as s:
        stored = codelist_service.load_codelist_rows(s)
    assert stored.rows == [{"code": "halt", "label": "Halt", "soort": "afdoening"}]
    assert stored.fouten and "geen tabel" in stored.fouten[0]
    with app.db.session() as s:
        s.get(Setting, "beslissingen").value = {"geen": "lijst"}
    with app.db.session() as s:
        stored = codelist_service.load_codelist_rows(s)
    assert stored.rows == [] and "geen lijst" in stored.fouten[0]
