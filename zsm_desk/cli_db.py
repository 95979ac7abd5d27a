"""`zsm-desk db init`: set up a location's PostgreSQL with an owner and an application role."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from zsm_desk.cli import CliError, _print_json


def cmd_db_init(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from zsm_desk.services.storage import dberrors, roles

    password = None
    if args.app_wachtwoord_stdin:
        password = sys.stdin.readline().rstrip("\r\n") or None
    try:
        report = roles.init_location(args.eigenaar, args.app_rol, app_password=password)
    except roles.RoleSetupError as e:
        raise CliError(str(e)) from None
    except SQLAlchemyError as e:
        raise CliError(f"database niet ingericht: {dberrors.describe(e)}") from None
    if args.json:
        _print_json({"eigenaar": report.eigenaar, "app_rol": report.app_rol,
                     "rol_aangemaakt": report.rol_aangemaakt, "tabellen": report.tabellen})  # fmt: skip
    else:
        nieuw = "aangemaakt" if report.rol_aangemaakt else "bestond al"
        print(
            f"Database ingericht: eigenaar {report.eigenaar}, applicatierol {report.app_rol} "
            f"({nieuw}); {report.tabellen} tabellen, audit alleen toevoegen en lezen."
        )
        print("Werkstations verbinden met de applicatierol, nooit met de eigenaar.")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", help="database van de locatie (beheerder)")
    acts = db.add_subparsers(dest="what", metavar="ACTIE")
    init = acts.add_parser(
        "init", parents=[common],
        help="migreer als eigenaar en richt de applicatierol in (PostgreSQL)",
    )  # fmt: skip
    init.add_argument("--eigenaar", required=True, metavar="URL",
                      help="SQLAlchemy-URL als de eigenaar-/migratierol")  # fmt: skip
    init.add_argument("--app-rol", required=True, metavar="NAAM",
                      help="de rol waarmee de werkstations verbinden")  # fmt: skip
    init.add_argument("--app-wachtwoord-stdin", action="store_true",
                      help="wachtwoord van de applicatierol van standaardinvoer")  # fmt: skip
    init.set_defaults(func=cmd_db_init)
