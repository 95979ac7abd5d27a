"""Screening a suspect: configurable checklists, stored criteria, mogelijk_complex (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from zsm_desk.domain import screening as sc
from zsm_desk.domain.access import Role
from zsm_desk.services.adviesvragen import screening_service as svc
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.app import AppContext
from zsm_desk.services.storage.models import AuditEntry, Setting
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models_adviesvraag import Screening

DESK = frozenset({Role.KPC})


def _item(s) -> int:  # type: ignore[no-untyped-def]
    row = ItemRow(
        bvh_nummer="PL0900-2026000999", ingestroomd_op=dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC),
        achternaam="Bakker", voornamen="Piet", geboortedatum="1985-01-01",
        feit="Mishandeling partner", status="in behandeling", updated_at=dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    s.add(row)
    s.flush()
    return row.id


def test_screening_marks_possibly_complex_and_is_audited(app: AppContext) -> None:
    with app.db.session() as s:
        item_id = _item(s)
        assert [c.code for c in svc.load_checklists(s)] == [
            c.code for c in sc.default_checklists()
        ]  # no Setting: the defaults
        with pytest.raises(users.NotAllowed):
            svc.screen(s, item_id, "zwb-hg", ["recidive"], account="x", roles=frozenset())
        with pytest.raises(svc.ScreeningError, match="kent deze criteria niet"):
            svc.screen(s, item_id, "zwb-hg", ["bestaat_niet"], account="k", roles=DESK)
        with pytest.raises(svc.ScreeningError, match="onbekende screeningslijst"):
            svc.screen(s, item_id, "nope", [], account="k", roles=DESK)

        outcome, rec = svc.screen(
            s, item_id, "zwb-hg", ["recidive", "first_offender"], account="k", roles=DESK
        )
        assert outcome.voorstel_aanmelding and rec.voorstel
        assert s.get(ItemRow, item_id).mogelijk_complex is True
        assert [c["code"] for c in rec.criteria] == ["recidive", "first_offender"]
        reden, criteria = svc.aanmelding_gegevens(s, item_id) or ("", [])
        assert "veiligheidshuisloop" in reden
        assert criteria == ["Recidive (of relevante antecedenten)"]  # informative "licht" left out
        entry = s.execute(
            select(AuditEntry).where(AuditEntry.action == svc.AUDIT_SCREENING)
        ).scalar_one()
        assert entry.item_id == item_id and entry.detail["criteria"] == [
            "first_offender",
            "recidive",
        ]
        assert entry.detail["voorstel"] is True and entry.detail["mogelijk_complex"] is True

        # A corrected screening of the same list clears the mark again.
        outcome, _ = svc.screen(s, item_id, "zwb-hg", ["first_offender"], account="k", roles=DESK)
        assert not outcome.voorstel_aanmelding
        assert s.get(ItemRow, item_id).mogelijk_complex is False
        assert svc.aanmelding_gegevens(s, item_id) is None
        assert len(svc.screenings(s, item_id)) == 2
        assert len(svc.screenings(s, item_id, alleen_laatste=True)) == 1
        assert audit.verify(s).ok

        # Deleting the suspect (purge) deletes the screenings.
        s.execute(delete(ItemRow).where(ItemRow.id == item_id))
        assert s.execute(select(Screening)).all() == []


def test_checklists_are_configuration(app: AppContext) -> None:
    eigen = sc.Checklist(
        code="hg-eigen", naam="Eigen HG-lijst", bron="test", regel=sc.ALLE,
        groepen=(sc.Groep("zwaar", "Zwaar"),),
        criteria=(sc.Criterion("wapen", "Wapen gebruikt", "zwaar"),),
    )  # fmt: skip
    with app.db.session() as s:
        item_id = _item(s)
        with pytest.raises(users.NotAllowed):
            svc.save_checklists(s, [eigen], account="k", roles=DESK)
        svc.save_checklists(s, [eigen], account="b", roles=frozenset({Role.BEHEERDER}))
        assert s.get(Setting, svc.SETTING_KEY).value == sc.checklists_to_list([eigen])
        assert [c.code for c in svc.load_checklists(s)] == ["hg-eigen"]
        outcome, rec = svc.screen(s, item_id, "hg-eigen", ["wapen"], account="k", roles=DESK)
        assert outcome.voorstel_aanmelding and rec.checklist_naam == "Eigen HG-lijst"
        # Editing the list later does not change what the dossier shows was ticked.
        svc.reset_checklists(s, account="b", roles=frozenset({Role.BEHEERDER}))
        assert svc.load_checklists(s)[0].code == "zwb-hg"
        [stored] = svc.screenings(s, item_id)
        assert stored.criteria[0]["tekst"] == "Wapen gebruikt"
        s.get(Setting, svc.SETTING_KEY) or s.add(Setting(key=svc.SETTING_KEY, value=[{"x": 1}]))
        s.flush()
        with pytest.raises(ValueError, match="onbekende sleutel"):
            svc.load_checklists(s)
