"""`zsm-desk adviesvraag nieuw|list|verzend|antwoord|zonder-advies` (README, "adviesvraag")."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from zsm_desk.cli import CliError, _desk, _print_json
from zsm_desk.desk import Desk
from zsm_desk.domain.deadlines import AMSTERDAM, _zone

_TZ = _zone(AMSTERDAM)


def _moment(text: str | None, wat: str) -> dt.datetime | None:
    """ISO time; without an offset it is local time (Europe/Amsterdam)."""
    if text is None:
        return None
    from zsm_desk.domain.deadlines import resolve_local

    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"ongeldig tijdstip bij {wat}: {text!r} (verwacht bijv. 2026-11-20T14:00)"
        ) from None
    return resolve_local(moment) if moment.tzinfo is None else moment


def _show(view: Any, as_json: bool) -> None:
    if as_json:
        _print_json(view.to_json())
        return
    print(f"Adviesvraag {view.id} ({view.ref}) aan {view.vh_naam} [{view.vh_code}]: {view.status}")
    print(
        f"  Termijn:   {view.termijn_label}, deadline {view.deadline.astimezone(_TZ):%d-%m-%Y %H:%M}"
    )
    print(f"  Stand:     {view.stand.tekst}")
    print(f"  Bereikbaar: {view.bereikbaarheid}")
    if view.verzendmelding:
        print(f"  Verzending: {view.verzendmelding}")


def _run(args: argparse.Namespace, action: Any) -> Any:
    from zsm_desk.services.adviesvragen import adviesvragen
    from zsm_desk.services.security import users

    desk = _desk(args)
    try:
        return action(desk)
    except (adviesvragen.AdviesvraagError, users.NotAllowed) as e:
        raise CliError(str(e)) from None


def cmd_nieuw(args: argparse.Namespace) -> int:
    per = _moment(args.per, "--per")

    def act(desk: Desk) -> Any:
        item_id = desk.adviesvraag_item_id(args.bvh_nummer)
        return desk.adviesvraag_nieuw(
            item_id=item_id, vh_code=args.vh, vraag=args.vraag, termijn=args.termijn,
            per=per, casusschets=args.casusschets, verzenden=not args.concept,
        )  # fmt: skip

    _show(_run(args, act), args.json)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    def act(desk: Desk) -> Any:
        item_id = desk.adviesvraag_item_id(args.bvh) if args.bvh else None
        return desk.adviesvragen(
            alleen_open=not args.ook_gesloten, alle=True if args.alle else None, item_id=item_id
        )

    views = _run(args, act)
    if args.json:
        _print_json([v.to_json() for v in views])
        return 0
    for v in views:
        vlag = "!! " if v.te_laat else "   "
        print(
            f"{vlag}{v.id:>4}  {v.bvh_nummer:<22} {v.vh_code:<8} {v.status!s:<22} {v.stand.tekst}"
        )
    print(f"{len(views)} adviesvra{'ag' if len(views) == 1 else 'gen'}, "
          f"{sum(v.te_laat for v in views)} over de termijn.")  # fmt: skip
    return 0


def cmd_verzend(args: argparse.Namespace) -> int:
    def act(desk: Desk) -> Any:
        return desk.adviesvraag_verzend(args.id, bevestigd_onbeveiligd=args.onbeveiligd_bevestigd)

    _show(_run(args, act), args.json)
    return 0


def cmd_antwoord(args: argparse.Namespace) -> int:
    op = _moment(args.op, "--op")

    def act(desk: Desk) -> Any:
        return desk.adviesvraag_antwoord(
            args.id, tekst=args.tekst, van=args.van, via=args.via, op=op
        )

    _show(_run(args, act), args.json)
    return 0


def cmd_zonder_advies(args: argparse.Namespace) -> int:
    def act(desk: Desk) -> Any:
        return desk.besluit_zonder_advies(args.id, reden=args.reden, voor_termijn=args.voor_termijn)

    _show(_run(args, act), args.json)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("adviesvraag", help="advies op aanvraag bij een veiligheidshuis")
    ps = p.add_subparsers(dest="what", metavar="ACTIE")

    n = ps.add_parser("nieuw", parents=[common], help="stel een adviesvraag en verzend de mail")
    n.add_argument("bvh_nummer", metavar="BVH_NUMMER")
    n.add_argument(
        "--vh", required=True, metavar="CODE", help="veiligheidshuis uit de configuratie"
    )
    n.add_argument("--vraag", required=True, metavar="TEKST", help="de concrete vraag")
    n.add_argument("--termijn", required=True, metavar="PRESET|TIJD",
                   help="volgende-werkdag-13, 24-uur, 5-werkdagen, 7-dagen of een ISO-tijdstip")  # fmt: skip
    n.add_argument("--per", metavar="TIJD",
                   help="moment waarop de vraag als gesteld geldt (ISO; standaard nu)")  # fmt: skip
    n.add_argument("--casusschets", metavar="TEKST",
                   help="eigen casusschets (standaard: gevuld uit de wachtrij)")  # fmt: skip
    n.add_argument("--concept", action="store_true", help="alleen opslaan, nog niet verzenden")
    n.set_defaults(func=cmd_nieuw)

    ls = ps.add_parser(
        "list", parents=[common], help="openstaande adviesvragen met resterende tijd"
    )
    ls.add_argument("--ook-gesloten", action="store_true",
                    help="ook beantwoorde en zonder advies besloten vragen")  # fmt: skip
    ls.add_argument("--alle", action="store_true",
                    help="vragen van alle accounts (KPC'er; voor een KPC'er de standaard)")  # fmt: skip
    ls.add_argument("--bvh", metavar="BVH_NUMMER", help="alleen de vragen over deze verdachte")
    ls.set_defaults(func=cmd_list)

    v = ps.add_parser(
        "verzend", parents=[common],
        help="verzend een concept, of bied een mislukte verzending opnieuw aan",
    )  # fmt: skip
    v.add_argument("id", type=int, metavar="ID")
    v.add_argument("--onbeveiligd-bevestigd", action="store_true",
                   help="bevestig verzending aan een VH zonder beveiligde mail")  # fmt: skip
    v.set_defaults(func=cmd_verzend)

    a = ps.add_parser("antwoord", parents=[common], help="registreer het advies van het VH")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--tekst", required=True, help="het advies")
    a.add_argument("--van", required=True, metavar="WIE", help="van wie het advies komt")
    a.add_argument("--via", choices=["telefoon", "mail"], default="telefoon")
    a.add_argument("--op", metavar="TIJD", help="ontvangen op (ISO; standaard nu)")
    a.set_defaults(func=cmd_antwoord)

    z = ps.add_parser("zonder-advies", parents=[common], help="leg vast: besloten zonder advies")
    z.add_argument("id", type=int, metavar="ID")
    z.add_argument("--reden", required=True, help="waarom zonder advies besloten wordt")
    z.add_argument("--voor-termijn", action="store_true",
                   help="uitdrukkelijk vóór het einde van de termijn (KPC'er of officier)")  # fmt: skip
    z.set_defaults(func=cmd_zonder_advies)
