"""`zsm-desk claim BVH [--vrijgeven | --overnemen]`: work on a suspect, visible to other desks."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from zsm_desk.cli import CliError, CliRefused, _app, _print_json


def cmd_claim(args: argparse.Namespace) -> int:
    from zsm_desk.services.decisions import claims
    from zsm_desk.services.decisions.decisions_service import item_id_by_bvh
    from zsm_desk.services.storage import dberrors

    app = _app(args)
    now = app.clock.now().astimezone(dt.UTC)
    bvh = args.bvh_nummer.strip().upper()

    def work(s: Any) -> dict[str, Any]:
        item_id = item_id_by_bvh(s, bvh)
        if args.vrijgeven:
            had = claims.release(s, item_id, account=app.account)
            return {"bvh_nummer": bvh, "vrijgegeven": had}
        c = claims.claim(s, item_id, account=app.account, now=now, overnemen=args.overnemen)
        return {"bvh_nummer": bvh, "account": c.account, "naam": c.naam,
                "sinds": c.since.isoformat(timespec="seconds"), "tekst": c.label()}  # fmt: skip

    try:
        data = dberrors.run_transaction(app.db, work)
    except LookupError as e:
        raise CliError(str(e)) from None
    except claims.ClaimedByOther as e:
        raise CliRefused(f"{e} Overnemen: zsm-desk claim {bvh} --overnemen") from None
    if args.json:
        _print_json(data)
    elif args.vrijgeven:
        print(f"{bvh}: vrijgegeven." if data["vrijgegeven"] else f"{bvh}: u had deze zaak niet.")
    else:
        print(f"{bvh}: {data['tekst']}.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    c = sub.add_parser("claim", parents=[common],
                       help="neem een verdachte in behandeling (zichtbaar voor andere desks)")  # fmt: skip
    c.add_argument("bvh_nummer", metavar="BVH_NUMMER")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--vrijgeven", action="store_true", help="geef de zaak weer vrij")
    g.add_argument("--overnemen", action="store_true",
                   help="neem de zaak over van een ander werkstation (wordt geaudit)")  # fmt: skip
    c.set_defaults(func=cmd_claim)
