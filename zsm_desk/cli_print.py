"""`zsm-desk print plan BVH --out F.pdf` and `zsm-desk print dag [--datum D] --out F.pdf`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from zsm_desk.cli import CliError, _desk, cli_date


def _write(out: str, pdf: bytes) -> None:
    from zsm_desk.services.storage.files import write_private

    try:
        write_private(Path(out), pdf)
    except OSError as e:
        raise CliError(f"kan {out} niet schrijven: {e.strerror}") from None


def cmd_plan(args: argparse.Namespace) -> int:
    from zsm_desk.services.printing import print_jobs
    from zsm_desk.services.security import users

    desk = _desk(args)
    try:
        pdf = desk.print_plan(desk.item_id_by_bvh(args.bvh_nummer)).data
    except (print_jobs.NotFound, users.NotAllowed) as e:
        raise CliError(str(e)) from None
    _write(args.out, pdf)
    print(f"Afdruk geschreven: {args.out}")
    return 0


def cmd_dag(args: argparse.Namespace) -> int:
    from zsm_desk.services.security import users

    datum = None
    if args.datum:
        datum = cli_date(args.datum)
    desk = _desk(args)
    try:
        pack = desk.print_day_pack(datum=datum)
    except users.NotAllowed as e:
        raise CliError(str(e)) from None
    _write(args.out, pack.data)
    print(f"Dagpakket geschreven: {args.out} ({len(pack.item_ids)} bekende verdachten)")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("print", help="afdrukken voor het afstemmingsoverleg (PDF)")
    ps = p.add_subparsers(dest="what", metavar="SOORT")
    plan = ps.add_parser("plan", parents=[common], help="plan van aanpak van één verdachte")
    plan.add_argument("bvh_nummer", metavar="BVH_NUMMER")
    plan.add_argument("--out", required=True, help="PDF-bestand")
    plan.set_defaults(func=cmd_plan)
    dag = ps.add_parser(
        "dag", parents=[common], help="dagpakket: voorblad en alle bekende verdachten"
    )
    dag.add_argument(
        "--datum", help="dag (JJJJ-MM-DD of DD-MM-JJJJ); standaard alle verdachten in de wachtrij"
    )
    dag.add_argument("--out", required=True, help="PDF-bestand")
    dag.set_defaults(func=cmd_dag)
