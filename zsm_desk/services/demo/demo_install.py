"""Putting a demo day into the database, replacing earlier case data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import ALL_ROLES
from zsm_desk.domain.settings import validate_config
from zsm_desk.services.demo.demo_data import generate
from zsm_desk.services.intake import instroom
from zsm_desk.services.intake.fileformats import RawFile
from zsm_desk.services.registers import known_clients
from zsm_desk.services.registers import register_import as registers
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.app import AppContext
from zsm_desk.services.storage.models import (
    Adviesvraag,
    Decision,
    InstroomItem,
    Match,
    OutboxMessage,
    RegisterMarking,
    UserRole,
)


class DemoRefused(Exception):
    """The database holds real work; the message is one Dutch line for the user."""


def work_in(session: Session) -> tuple[int, int]:
    """(decisions, sent messages) in the database: work a demo must not wipe unasked."""
    decisions = session.execute(select(func.count()).select_from(Decision)).scalar_one()
    sent = session.execute(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            or_(
                OutboxMessage.state.in_(("verzonden", "handmatig")),
                OutboxMessage.sent_at.is_not(None),
            )
        )
    ).scalar_one()
    return int(decisions), int(sent)


def clear_case_data(session: Session) -> None:
    """Remove cases, registers and messages (the audit trail stays)."""
    for model in (Adviesvraag, OutboxMessage, Decision, Match, InstroomItem, RegisterMarking):
        session.execute(delete(model))


def install(
    app: AppContext,
    *,
    seed: int = 1,
    day_end: dt.datetime | None = None,
    items: int = 150,
    work: bool = False,
    overschrijven: bool = False,
) -> dict[str, Any]:
    """Replace the case data by a synthetic demo day.

    Refuses (`DemoRefused`) a database that holds any decision or sent message
    unless `overschrijven`: a demo must never wipe real work without asking.
    """
    data = generate(seed, day_end=day_end, items=items, clock=app.clock)
    settings = validate_config(data.config)
    with app.db.session() as s:
        decisions, sent = work_in(s)
        if (decisions or sent) and not overschrijven:
            raise DemoRefused(
                f"Deze database bevat {decisions} beslissing(en) en {sent} verzonden "
                "bericht(en); de demodag zou die wissen. Gebruik de eigen demodatabase "
                "(zonder --db) of geef --overschrijven als u dit echt wilt."
            )
        # The demo must work out of the box for whoever runs it (interfaces §5).
        row = s.get(UserRole, app.account) or UserRole(account=app.account, roles=[])
        row.roles = sorted(r.value for r in ALL_ROLES)
        s.add(row)
        clear_case_data(s)
        config.save_settings(s, settings, app.account, "demodag")
        registers.import_raw(
            s,
            RawFile(records=data.register, kind="json"),
            actor=app.account,
            source=f"demo seed {seed}",
            recheck=False,
        )
        instroom.import_raw(
            s,
            RawFile(records=data.instroom, kind="json"),
            actor=app.account,
            source=f"demo seed {seed}",
        )
        known_clients.check_all(s)
        if work:
            _demo_work(s, app.account)
        audit.append(s, app.account, audit.IMPORT, purpose="demodag geladen", detail={"seed": seed})
        counts = dict(
            s.execute(
                select(InstroomItem.vh_status, func.count()).group_by(InstroomItem.vh_status)
            ).all()
        )
    return {
        "instroom": len(data.instroom),
        "registerpersonen": len(data.register),
        "veiligheidshuizen": len(settings.veiligheidshuizen),
        "bekend": counts.get("bekend", 0),
        "mogelijk": counts.get("mogelijk", 0),
        "seed": seed,
    }


def _demo_work(session: Session, account: str) -> None:
    """A day in progress: two decided known adults (their terugkoppelingen wait in
    the outbox, since the demo mail server is not reachable) and one adviesvraag."""
    from zsm_desk.domain.access import ALL_ROLES as roles
    from zsm_desk.domain.age import minor_at_instroom
    from zsm_desk.services.adviesvragen import adviesvragen
    from zsm_desk.services.decisions import decisions_service

    known = session.execute(
        select(InstroomItem)
        .where(InstroomItem.vh_status == "bekend")
        .order_by(InstroomItem.ingestroomd_op)
    ).scalars()
    adults = [i for i in known if not minor_at_instroom(i.geboortedatum, i.ingestroomd_op)]
    decided = [i for i in adults if i.status == "afgedaan"][:2]
    for item in decided:
        decisions_service.record_decision(
            session,
            item.id,
            decisions_service.DecisionInput(
                beslissing="dagvaarden",
                advies_gevolgd="ja",
                voorwaarden="contactverbod met het slachtoffer",
                besloten_op=item.ingestroomd_op + dt.timedelta(hours=3),
            ),
            account=account,
            roles=roles,
        )
    asking = [i for i in adults if i.status == "in behandeling" and i not in decided][:1]
    for item in asking:
        vh = item.matches[0].marking.vh_code
        adviesvragen.nieuw(
            session,
            item_id=item.id,
            vh_code=vh,
            vraag="Is het plan van aanpak nog actueel, en welke voorwaarden adviseert u?",
            termijn="24-uur",
            account=account,
            roles=roles,
            per=item.ingestroomd_op + dt.timedelta(hours=1),
        )
