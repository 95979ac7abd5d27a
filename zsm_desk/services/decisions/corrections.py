"""The "eerdere terugkoppeling vervalt" notice after a correction to sepot 01.

A decision corrected to technical sepot 01 ("ten onrechte als verdachte
aangemerkt") purges the case; a veiligheidshuis that already received a
terugkoppeling or aanmelding about the person gets only this notice: the
earlier reference is void. It carries **no personal data** (no name, birth
date, BSN, case numbers or decision), so it is not tied to the (purged) item.

Subject ``ZSM-terugkoppeling {ref} (correctie)``; JSON attachment
(schema ``zsm-terugkoppeling/1``)::

    {"schema": "zsm-terugkoppeling/1", "ref": "ZSM-MN-20261204-0A1B2C",
     "soort": "vervallen", "vh_code": "VH-UTR",
     "opgesteld_op": "2026-12-04T15:50:00+01:00",
     "corrigeert": "ZSM-MN-20261204-7F3A9C",
     "zsm_contact": {"locatie": ..., "telefoon": ..., "mailbox": ...}}
"""

from __future__ import annotations

import datetime as dt
import html
from email.message import EmailMessage

from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action
from zsm_desk.domain.clock import local
from zsm_desk.domain.settings import Settings
from zsm_desk.domain.terugkoppeling import SCHEMA
from zsm_desk.services.mail import outbox
from zsm_desk.services.storage.models import OutboxMessage

SOORT_VERVALLEN = "vervallen"


def vervalt_text(earlier_ref: str) -> str:
    return (
        f"Eerdere terugkoppeling {earlier_ref} vervalt.\n\n"
        "De beslissing is gecorrigeerd: de persoon is ten onrechte als verdachte "
        "aangemerkt (technisch sepot). Verwijder de gegevens uit dat bericht; er volgt "
        "geen nieuwe terugkoppeling."
    )


def _render(req: outbox.RenderRequest) -> EmailMessage:
    p = req.row.payload or {}
    earlier = str(p.get("corrigeert") or "")
    contact = p.get("zsm_contact") or {}
    body = vervalt_text(earlier)
    lines = [f"ZSM-terugkoppeling {req.row.ref} (correctie)", "", body, "", "Contact voor vragen"]
    lines += [str(v) for v in (contact.get("locatie"), contact.get("telefoon"),
                               contact.get("mailbox")) if v]  # fmt: skip
    text = "\n".join(lines) + "\n"
    html_body = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head><meta charset="utf-8"></head>\n'
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px">\n'
        + "".join(f"<p>{html.escape(x)}</p>\n" for x in lines if x)
        + "</body>\n</html>\n"
    )
    return outbox.compose_simple(
        req,
        subject=f"ZSM-terugkoppeling {req.row.ref} (correctie)",
        text=text,
        html=html_body,
        json_payload=p,
        json_filename=f"terugkoppeling-{req.row.ref}.json",
    )


outbox.register_renderer(SOORT_VERVALLEN, _render, action=Action.SEND_TERUGKOPPELING)


def enqueue_vervallen(
    session: Session,
    *,
    vh_code: str,
    earlier_ref: str,
    account: str,
    now: dt.datetime,
    settings: Settings,
) -> OutboxMessage | None:
    """Queue the notice for one VH; None when the VH is no longer in the directory."""
    if settings.vh(vh_code) is None:
        return None
    ref = outbox.new_ref(session, settings.zsm_locatie, now)
    contact = outbox.zsm_contact(session, settings)
    payload = {
        "schema": SCHEMA,
        "ref": ref,
        "soort": SOORT_VERVALLEN,
        "vh_code": vh_code,
        "opgesteld_op": local(now).isoformat(timespec="seconds"),
        "corrigeert": earlier_ref,
        "zsm_contact": {
            "locatie": contact.locatie,
            "telefoon": contact.telefoon,
            "mailbox": contact.mailbox,
        },
    }
    return outbox.enqueue(
        session, soort=SOORT_VERVALLEN, vh_code=vh_code, payload=payload, account=account,
        ref=ref, item_id=None, now=now, settings=settings,
    )  # fmt: skip


__all__ = ["SOORT_VERVALLEN", "enqueue_vervallen", "vervalt_text"]
