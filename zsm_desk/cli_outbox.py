"""`zsm-desk decide …` and `zsm-desk outbox list|send|retry|eml` (issue 5).

JSON shapes: README, "Decisions, terugkoppeling and the outbox".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zsm_desk.cli import CliError, CliRefused, _app, _print_json

_JA_NEE = ("ja", "nee")


def _ja(value: str | None) -> bool | None:
    return None if value is None else value == "ja"


def cmd_decide(args: argparse.Namespace) -> int:
    from zsm_desk.services.decisions import decisions_service as ds
    from zsm_desk.services.security import users

    reclassering, raad = _ja(args.reclasseringsonderzoek), _ja(args.raadsonderzoek)
    if reclassering is not None and raad is not None:
        raise CliError("geef --reclasseringsonderzoek (volwassene) of --raadsonderzoek "
                       "(minderjarige), niet allebei")  # fmt: skip
    onderzoek_soort = None
    gepland = False
    if reclassering is not None:
        onderzoek_soort, gepland = "reclasseringsonderzoek", reclassering
    elif raad is not None:
        onderzoek_soort, gepland = "raadsonderzoek", raad
    advies = {"geen": "geen advies"}.get(args.advies_gevolgd, args.advies_gevolgd)
    inp = ds.DecisionInput(
        beslissing=args.beslissing, sepotcode=args.sepotcode or "",
        voorwaarden=args.voorwaarden or "", onderzoek_gepland=gepland,
        onderzoek_soort=onderzoek_soort, advies_gevolgd=advies,
        motivering=args.motivering or "", toelichting=args.toelichting or "",
        besloten_door=args.besloten_door or "",
        aanmelding_reden=args.aanmeldingsreden or "",
    )  # fmt: skip
    reden = (args.reden or "").strip()
    if args.corrigeer and not reden:
        raise CliError("een correctie vraagt de reden: geef --reden TEKST")
    if reden and not args.corrigeer:
        raise CliError("--reden hoort bij een correctie (--corrigeer)")
    app = _app(args)
    try:
        if args.corrigeer:
            with app.db.session() as s:
                roles = users.roles_of(s, app.account)
                item_id = ds.item_id_by_bvh(s, args.bvh_nummer)
                out = ds.correct_decision(s, item_id, inp, reden=reden, account=app.account,
                                          roles=roles)  # fmt: skip
        else:
            out = ds.decide_by_bvh(app.db, args.bvh_nummer, inp, account=app.account)
    except (users.NotAllowed, LookupError) as e:
        raise CliError(str(e)) from None
    except (ds.DecisionRace, ds.CaseClaimed) as e:
        raise CliRefused(str(e)) from None
    except ds.DecisionRefused as e:
        raise CliError("beslissing niet vastgelegd: " + " ".join(e.errors)) from None
    data: dict[str, Any] = {"bvh_nummer": args.bvh_nummer.strip().upper(), **out.to_dict()}
    if args.json:
        _print_json(data)
        return 0
    wie = out.besloten_door + (f" (vastgelegd door {out.namens})" if out.namens else "")
    sc = f" {out.sepotcode}" if out.sepotcode else ""
    wat = "gecorrigeerd" if out.correctie else "vastgelegd"
    print(f"Beslissing {wat}: {out.beslissing}{sc}, door {wie}.")
    if out.gegevens_verwijderd:
        print("Technisch sepot (01): gegevens verwijderd; er gaat geen terugkoppeling uit.")
        for m in out.messages:
            print(f"  melding 'eerdere terugkoppeling vervalt' aan {m.vh_code}: {m.ref}")
    elif out.messages:
        for m in out.messages:
            when = f", verzending bij dagoverzicht {m.to_dict()['deliver_after']}" if (
                m.deliver_after) else ""  # fmt: skip
            print(f"  {m.soort} aan {m.vh_code}: {m.ref} ({m.state}{when})")
        print("Verzend met 'zsm-desk outbox send'.")
    else:
        print(f"Geen bericht: {out.plan.reden}")
    for w in out.waarschuwingen:
        print(f"Let op: {w}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from zsm_desk.services.mail import outbox

    app = _app(args)
    with app.db.session() as s:
        rows = outbox.list_messages(s)
        waiting = outbox.waiting_count(s)
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        extra = f" — {r['last_error']}" if r["last_error"] else ""
        print(f"{r['id']:>5}  {r['ref']:<24} {r['soort']:<14} {r['vh_code']:<10} "
              f"{r['state']:<10} pogingen {r['attempts']}{extra}")  # fmt: skip
    print(f"{len(rows)} bericht(en), {waiting} wachtend.")
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from zsm_desk.services.mail import outbox
    from zsm_desk.services.security import users

    app = _app(args)
    with app.db.session() as s:
        roles = users.roles_of(s, app.account)
    try:
        report = outbox.send_due(app.db, account=app.account, roles=roles, manual=True)
    except users.NotAllowed as e:
        raise CliError(str(e)) from None
    with app.db.session() as s:
        waiting = outbox.waiting_count(s)
    if args.json:
        _print_json({**report.to_dict(), "wachtend": waiting})
    else:
        for r in report.mislukt + report.uitgesteld:
            print(f"{r.ref} ({r.vh_code}): {r.reden}", file=sys.stderr)
    summary = f"{report.summary()} Nog wachtend: {waiting}."
    print(summary, file=sys.stderr if args.json else sys.stdout)
    return 0 if report.ok else 1


@contextmanager
def _outbox_session(app: Any) -> Iterator[tuple[Any, frozenset[Any]]]:
    """A session and the account's roles; an outbox refusal becomes a CliError."""
    from zsm_desk.services.mail import outbox
    from zsm_desk.services.security import users

    try:
        with app.db.session() as s:
            yield s, users.roles_of(s, app.account)
    except (outbox.OutboxError, users.NotAllowed) as e:
        raise CliError(str(e)) from None


def cmd_retry(args: argparse.Namespace) -> int:
    from zsm_desk.services.mail import outbox

    app = _app(args)
    with _outbox_session(app) as (s, roles):
        row = outbox.retry(s, args.id, app.account, roles=roles)
        info = outbox.message_info(row)
    if args.json:
        _print_json(info)
    else:
        print(f"{info['ref']} opnieuw aangeboden; verzend met 'zsm-desk outbox send'.")
    return 0


def cmd_eml(args: argparse.Namespace) -> int:
    from zsm_desk.services.mail import outbox

    app = _app(args)
    try:
        with _outbox_session(app) as (s, roles):
            path = outbox.export_eml(s, args.id, Path(args.out), account=app.account, roles=roles,
                                     bevestigd_onbeveiligd=args.bevestig_onbeveiligd)  # fmt: skip
            info = outbox.message_info(outbox.get_message(s, args.id))
    except OSError as e:
        raise CliError(f"kan {args.out} niet schrijven: {e.strerror}") from None
    if args.json:
        _print_json({**info, "bestand": str(path)})
    else:
        print(
            f"Opgeslagen als {path}; status {info['state']} (verstuur het met uw eigen mailprogramma)."
        )
    return 0


def cmd_bevestig(args: argparse.Namespace) -> int:
    from zsm_desk.services.mail import outbox

    app = _app(args)
    with _outbox_session(app) as (s, roles):
        row = outbox.mark_ready(s, args.id, account=app.account, roles=roles,
                                bevestigd_onbeveiligd=args.onbeveiligd)  # fmt: skip
        info = outbox.message_info(row)
    if args.json:
        _print_json(info)
    else:
        print(f"{info['ref']}: {info['state']}.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    d = sub.add_parser("decide", parents=[common], help="beslissing vastleggen")
    d.add_argument("bvh_nummer", metavar="BVH_NUMMER")
    d.add_argument("--beslissing", required=True, metavar="CODE", help="code uit de codelijst")
    d.add_argument("--sepotcode", metavar="NN")
    d.add_argument("--reclasseringsonderzoek", choices=_JA_NEE, help="volwassene")
    d.add_argument("--raadsonderzoek", choices=_JA_NEE, help="minderjarige")
    d.add_argument("--advies-gevolgd", choices=("ja", "nee", "deels", "geen"), default="geen")
    d.add_argument("--motivering", metavar="TEKST", help="verplicht bij advies nee/deels")
    d.add_argument("--voorwaarden", metavar="TEKST", help="bijzondere voorwaarden")
    d.add_argument("--toelichting", metavar="TEKST", help="korte toelichting")
    d.add_argument("--besloten-door", metavar="NAAM",
                   help="de officier (verplicht als een KPC'er namens de officier vastlegt)")  # fmt: skip
    d.add_argument("--aanmeldingsreden", metavar="TEKST", help="reden bij een aanmelding")
    d.add_argument("--corrigeer", action="store_true",
                   help="corrigeer de vastgelegde beslissing (met --reden); de veiligheidshuizen "
                   "die het eerdere bericht kregen, krijgen een correctie")  # fmt: skip
    d.add_argument("--reden", metavar="TEKST", help="reden van de correctie (verplicht)")
    d.set_defaults(func=cmd_decide)

    o = sub.add_parser("outbox", help="uitbak: terugkoppelingen, aanmeldingen, adviesvragen")
    os_ = o.add_subparsers(dest="what", metavar="ACTIE")
    lst = os_.add_parser("list", parents=[common], help="alle berichten (zonder persoonsgegevens)")
    lst.set_defaults(func=cmd_list)
    snd = os_.add_parser("send", parents=[common],
                         help="verzend nu alles wat nog niet verzonden is (mislukte ook)")  # fmt: skip
    snd.set_defaults(func=cmd_send)
    rt = os_.add_parser("retry", parents=[common], help="mislukt bericht opnieuw aanbieden")
    rt.add_argument("id", type=int)
    rt.set_defaults(func=cmd_retry)
    em = os_.add_parser(
        "eml", parents=[common], help="bericht opslaan als .eml (eigen mailprogramma)"
    )
    em.add_argument("id", type=int)
    em.add_argument("--out", required=True, metavar="BESTAND.eml")
    em.add_argument("--bevestig-onbeveiligd", action="store_true",
                    help="bevestig dat het naar een VH zonder beveiligde mail mag")  # fmt: skip
    em.set_defaults(func=cmd_eml)
    bv = os_.add_parser("bevestig", parents=[common], help="concept vrijgeven voor verzending")
    bv.add_argument("id", type=int)
    bv.add_argument("--onbeveiligd", action="store_true",
                    help="bevestig verzending naar een VH zonder beveiligde mail")  # fmt: skip
    bv.set_defaults(func=cmd_bevestig)
