"""One rule for minor age (issue 11, "one rule, one place"): the queue, the detail
pane and the decision agree, on the Amsterdam day of the instroom."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.data import DATA
from zsm_desk.desk import Desk
from zsm_desk.domain.age import age_on, instroom_day
from zsm_desk.domain.clock import AMSTERDAM, FixedClock
from zsm_desk.services.security import users
from zsm_desk.services.storage.db import open_database


def is_minor(geboortedatum: str, on: dt.date) -> bool | None:
    """Under 18 on `on` by `domain.age`; None when the birth date cannot be read."""
    verdict = age_on(geboortedatum, on)
    return None if verdict.age is None else verdict.minor


def treated_as_minor(geboortedatum: str, on: dt.date) -> bool:
    """The safe reading the desk uses: an unknown age counts as minor."""
    return age_on(geboortedatum, on).minor


def test_the_instroom_day_is_the_day_in_amsterdam() -> None:
    just_after_midnight = dt.datetime(2026, 11, 22, 0, 30, tzinfo=AMSTERDAM)
    assert just_after_midnight.astimezone(dt.UTC).date() == dt.date(2026, 11, 21)
    assert instroom_day(just_after_midnight) == dt.date(2026, 11, 22)


def test_minor_adult_and_unreadable() -> None:
    day = dt.date(2026, 11, 22)
    assert is_minor("2008-11-22", day) is False  # eighteen today
    assert is_minor("2008-11-23", day) is True
    assert is_minor("2008-11-00", day) is True  # unknown day: the youngest possible age
    assert is_minor("geen datum", day) is None
    assert treated_as_minor("geen datum", day) and not treated_as_minor("1990-01-01", day)


def test_queue_detail_and_decision_agree_at_midnight(tmp_path: Path) -> None:
    """Eighteen on the Amsterdam day of the instroom, seventeen on its UTC day: the
    queue counted the UTC day (minor), the detail pane the local day (adult)."""
    doc = json.loads((DATA / "instroom-voorbeeld.json").read_text(encoding="utf-8"))
    item = dict(doc["items"][0], bvh_nummer="PL0900-2026000199", geboortedatum="2008-11-22",
                ingestroomd_op="2026-11-22T00:30:00+01:00")  # fmt: skip
    doc["items"] = [item]
    feed = tmp_path / "instroom.json"
    feed.write_text(json.dumps(doc), encoding="utf-8")
    db = open_database(f"sqlite:///{tmp_path / 'zsm.sqlite'}",
                       clock=FixedClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=AMSTERDAM)))  # fmt: skip
    desk = Desk(db, "kpc-test")
    with db.session() as s:
        users.ensure_first_account(s, desk.account)
    desk.import_config(DATA / "config-voorbeeld.toml")
    desk.import_instroom(feed)
    [row] = desk.load_queue().rows
    detail = desk.item_detail(row.id)
    assert detail is not None
    assert row.minderjarig is False
    assert detail.view.minor is False
    assert desk.decision_context(row.id).minderjarig is False
    db.dispose()
