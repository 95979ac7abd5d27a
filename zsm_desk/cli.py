"""The `zsm-desk` command (interfaces.md §5). No arguments: open the window.

Every command takes `--db URL`, exits non-zero with a one-line Dutch error on
bad input, and prints machine-readable output on stdout with `--json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zsm_desk import __version__, cli_i18n
from zsm_desk.ui.qt_options import split_qt_options

if TYPE_CHECKING:
    from zsm_desk.desk import Desk

Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A user-facing error: printed as one line, exit code 2."""

    exit_code = 2


def cli_date(text: str, what: str = "") -> dt.date:
    """A date argument, JJJJ-MM-DD or the Dutch DD-MM-JJJJ, as the files take it."""
    from zsm_desk.domain.records import DATE_FORMS
    from zsm_desk.domain.validation import plain_date

    try:
        return plain_date(text)
    except ValueError:
        where = f" voor {what}" if what else ""
        raise CliError(f"ongeldige datum{where}: {text!r} (verwacht {DATE_FORMS})") from None


class CliRefused(CliError):
    """Refused because another desk was first (a race, a claim): exit code 1."""

    exit_code = 1


def _desk(args: argparse.Namespace) -> Desk:
    """The desk on `--db` (or the default database) for the current account."""
    from zsm_desk.desk import Desk

    return Desk.open(getattr(args, "db", None))


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- commands -------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    import os

    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.storage.db import ENV_VAR, demo_url

    # The demo keeps to its own database file unless one is named explicitly;
    # its own file may always be refilled, any other only when empty of work.
    own = not getattr(args, "db", None) and not os.environ.get(ENV_VAR)
    if own:
        args.db = demo_url()
    desk = _desk(args)
    day_end = None
    if args.datum:
        d = cli_date(args.datum)
        from zsm_desk.services.demo.demo_data import TZ

        day_end = dt.datetime.combine(d, dt.time(23, 0), TZ)
    # The command shows a day in progress (decisions, an adviesvraag); tests
    # that build a demo day through the service get the plain queue.
    try:
        summary = desk.install_demo(
            seed=args.seed, day_end=day_end, items=args.aantal, work=True,
            overschrijven=own or args.overschrijven,
        )  # fmt: skip
    except demo_install.DemoRefused as e:
        raise CliError(str(e)) from None
    if args.json:
        _print_json(summary)
    else:
        print(
            f"Demodag geladen in {desk.db.url}: {summary['instroom']} verdachten, "
            f"{summary['registerpersonen']} registerpersonen bij {summary['veiligheidshuizen']} "
            f"veiligheidshuizen; {summary['bekend']} bekend, {summary['mogelijk']} mogelijk bekend."
        )
    return 0


def cmd_import_instroom(args: argparse.Namespace) -> int:
    from zsm_desk.services.intake import instroom
    from zsm_desk.services.intake.fileformats import FileFormatError

    desk = _desk(args)
    try:
        report = desk.import_instroom(args.file, skip_invalid=args.skip_invalid)
    except FileFormatError as e:
        raise CliError(f"{args.file}: {e}") from None
    except instroom.ImportRefused as e:
        raise CliError(str(e)) from None
    if args.json:
        _print_json(
            {
                "nieuw": report.nieuw,
                "bijgewerkt": report.bijgewerkt,
                "ongewijzigd": report.ongewijzigd,
                "overgeslagen": [
                    {"record": e.number, "veld": e.field, "fout": e.message}
                    for e in report.overgeslagen
                ],
            }
        )
    else:
        print(f"Instroom ingelezen: {report.summary()}.")
        for skipped in report.overgeslagen[:20]:
            print(f"  overgeslagen: {skipped}", file=sys.stderr)
    return 0


def cmd_import_register(args: argparse.Namespace) -> int:
    from zsm_desk.services.intake.fileformats import FileFormatError
    from zsm_desk.services.intake.instroom import ImportRefused

    desk = _desk(args)
    try:
        report = desk.import_register(args.file)
    except FileFormatError as e:
        raise CliError(f"{args.file}: registerbestand geweigerd, niets gewijzigd: {e}") from None
    except ImportRefused as e:
        raise CliError(str(e)) from None
    if args.json:
        _print_json(report.per_vh)
    else:
        print(f"Register ingelezen: {report.summary()}.")
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    report = _desk(args).match_report()
    if args.json:
        _print_json(report)
    else:
        for r in report:
            if r["status"] != "onbekend":
                vhs = ", ".join(
                    f"{m['vh_code']} ({m['status']}, {m['reden']})" for m in r["matches"]
                )
                print(f"{r['bvh_nummer']}: {r['status']} — {vhs}")
        n = sum(r["status"] != "onbekend" for r in report)
        print(f"{len(report)} verdachten gecontroleerd, {n} (mogelijk) bekend.")
    return 0


def cmd_config_import(args: argparse.Namespace) -> int:
    from zsm_desk.domain.settings import ConfigError
    from zsm_desk.services.security import users

    desk = _desk(args)
    try:
        settings = desk.import_config(args.file)
    except ConfigError as e:
        raise CliError(f"configuratie geweigerd, niets gewijzigd: {e}") from None
    except users.NotAllowed as e:
        raise CliError(str(e)) from None
    print(
        f"Configuratie ingelezen: {settings.zsm_locatie}, "
        f"{len(settings.veiligheidshuizen)} veiligheidshuizen."
    )
    return 0


def cmd_config_export(args: argparse.Namespace) -> int:
    text = _desk(args).export_config()
    if args.out:
        from zsm_desk.services.storage.files import write_private

        write_private(Path(args.out), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_secret_set(args: argparse.Namespace) -> int:
    from zsm_desk.services.keys.secrets import (
        SecretStoreError,
        default_store,
        validate_secret_name,
    )

    try:
        validate_secret_name(args.name)
    except SecretStoreError as e:
        raise CliError(str(e)) from None
    value = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else None
    if value is None:
        import getpass

        value = getpass.getpass(f"Wachtwoord/token voor {args.name}: ")
    if not value:
        raise CliError("leeg geheim; niets opgeslagen")
    try:
        result = default_store().set(args.name, value)
    except SecretStoreError as e:
        raise CliError(str(e)) from None
    if not result.stored_in_keyring:
        raise CliError(result.message)
    print(result.message)
    return 0


def cmd_gebruiker(args: argparse.Namespace) -> int:
    from zsm_desk.domain.access import parse_roles
    from zsm_desk.services.security import users

    try:
        roles = parse_roles(args.rol)
    except ValueError as e:
        raise CliError(str(e)) from None
    desk = _desk(args)
    try:
        desk.set_roles(args.account, roles)
    except users.NotAllowed as e:
        raise CliError(str(e)) from None
    print(f"{args.account}: {', '.join(sorted(r.value for r in roles)) or 'geen rollen'}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    result = _desk(args).audit_verify(new_anchor=getattr(args, "anker_opnieuw", False))
    if args.json:
        _print_json({"ok": result.ok, "regels": result.count, "problemen": result.problems})
    elif result.ok:
        print(f"Audit in orde: {result.count} regels, keten ongeschonden.")
    else:
        for p in result.problems:
            print(p, file=sys.stderr)
        print(f"Audit NIET in orde: {len(result.problems)} probleem/problemen.", file=sys.stderr)
    return 0 if result.ok else 1


def cmd_gui(args: argparse.Namespace) -> int:
    from zsm_desk.ui.app import run

    return run(getattr(args, "db", None), getattr(args, "qt_options", None))


# --- parser ---------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    cli_i18n.install()  # argparse's own texts ("gebruik:", "opties:", errors) in Dutch
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="SQLAlchemy-URL van de database (standaard: $ZSM_DESK_DB of "
        "de ingebouwde SQLite-database)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machineleesbare uitvoer"
    )

    p = argparse.ArgumentParser(
        prog="zsm-desk",
        parents=[common],
        description="ZSM Desk. Zonder opdracht: het venster openen.",
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"zsm-desk {__version__}",
        help="toon het versienummer en stop",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="meer logregels")
    sub = p.add_subparsers(dest="command", metavar="OPDRACHT")

    d = sub.add_parser(
        "demo", parents=[common], help="vul de database met een synthetische demodag"
    )
    d.add_argument("--seed", type=int, default=1)
    d.add_argument(
        "--datum", help="de demodag (JJJJ-MM-DD of DD-MM-JJJJ); standaard de 24 uur tot nu"
    )
    d.add_argument("--aantal", type=int, default=150, help=argparse.SUPPRESS)
    d.add_argument("--overschrijven", action="store_true",
                   help="ook een database met beslissingen of verzonden berichten vervangen")  # fmt: skip
    d.set_defaults(func=cmd_demo)

    imp = sub.add_parser("import", help="bestanden inlezen").add_subparsers(
        dest="what", metavar="SOORT"
    )
    ii = imp.add_parser("instroom", parents=[common], help="verdachtenmonitor (JSON of CSV)")
    ii.add_argument("file", metavar="BESTAND")
    ii.add_argument(
        "--skip-invalid", action="store_true", help="lees geldige records in en meld de ongeldige"
    )
    ii.set_defaults(func=cmd_import_instroom)
    ir = imp.add_parser("register", parents=[common], help="VH-registerexport (CSV of JSON)")
    ir.add_argument("file", metavar="BESTAND")
    ir.set_defaults(func=cmd_import_register)

    m = sub.add_parser("match", parents=[common], help="bekende cliënten per instroomitem")
    m.set_defaults(func=cmd_match)

    c = sub.add_parser("config", help="configuratie (TOML)").add_subparsers(
        dest="what", metavar="ACTIE"
    )
    ci = c.add_parser("import", parents=[common], help="configuratiebestand inlezen")
    ci.add_argument("file", metavar="BESTAND")
    ci.set_defaults(func=cmd_config_import)
    ce = c.add_parser("export", parents=[common], help="configuratie als TOML schrijven")
    ce.add_argument("--out", help="bestand (standaard: standaarduitvoer)")
    ce.set_defaults(func=cmd_config_export)

    s = sub.add_parser("secret", help="geheimen in de sleutelbos van het systeem")
    ss = s.add_subparsers(dest="what", metavar="ACTIE").add_parser(
        "set", parents=[common], help="geheim van standaardinvoer opslaan"
    )
    ss.add_argument("name", metavar="NAAM", help="smtp, feed, register of register:VH-CODE")
    ss.set_defaults(func=cmd_secret_set)

    g = sub.add_parser("gebruiker", parents=[common], help="rollen van een account (beheerder)")
    g.add_argument("account", metavar="ACCOUNT")
    g.add_argument("--rol", required=True, help="kpc,parketsecretaris,officier,beheerder")
    g.set_defaults(func=cmd_gebruiker)

    a = sub.add_parser("audit", help="audittrail").add_subparsers(dest="what", metavar="ACTIE")
    av = a.add_parser("verify", parents=[common], help="controleer de hashketen")
    av.add_argument("--anker-opnieuw", action="store_true",
                    help="nieuwe database op een bekend adres: vergeet wat dit werkstation "
                    "eerder van de audit zag")  # fmt: skip
    av.set_defaults(func=cmd_audit_verify)

    # The command groups of the features, imported by name so that a frozen
    # build always carries them (an import error is an error, never skipped).
    from zsm_desk import (
        cli_adviesvraag,
        cli_claim,
        cli_db,
        cli_monitor,
        cli_outbox,
        cli_print,
        cli_selftest,
    )

    for group in (cli_print, cli_outbox, cli_adviesvraag, cli_monitor, cli_selftest, cli_db,
                  cli_claim):  # fmt: skip
        group.register(sub, common)
    return p


def _startup_refusals() -> tuple[type[Exception], ...]:
    from zsm_desk.services.runtime.deployment import DeploymentError
    from zsm_desk.services.storage.db import DatabaseTooNew

    return (DatabaseTooNew, DeploymentError)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # Qt's own options (-style, -platform, ...) go to QApplication, the rest to argparse.
    ours, qt_options = split_qt_options(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(ours)
    args.qt_options = qt_options
    from zsm_desk.app_context import ClockSettingError
    from zsm_desk.services.runtime.logs import setup_logging

    setup_logging(args.verbose)  # stderr + rotating log file, no BSN or names in any line
    if not hasattr(args, "json"):
        args.json = False
    func: Handler | None = getattr(args, "func", None)
    if args.command is None:
        func = cmd_gui
    elif func is None:
        parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        return 2
    try:
        return func(args)
    except CliError as e:
        print(f"zsm-desk: {e}", file=sys.stderr)
        return e.exit_code
    except ClockSettingError as e:
        print(f"zsm-desk: {e}", file=sys.stderr)
        return 2
    except _startup_refusals() as e:  # newer database, broken zsm-desk.toml: one line
        print(f"zsm-desk: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `zsm-desk outbox list --json | head`: the reader left
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:  # last resort: one line, no SQL, values or traceback
        return _report_unexpected(e, verbose=args.verbose)


def _report_unexpected(e: Exception, *, verbose: bool) -> int:
    """One Dutch line on stderr; details (scrubbed of SQL, values and BSN) only with -v."""
    from zsm_desk.services.storage import dberrors

    if verbose:  # through the log filter: no SQL, parameters or BSN
        logging.getLogger("zsm_desk.cli").error("details", exc_info=e)
    line = dberrors.describe_database_error(e)
    if line is not None:
        print(f"zsm-desk: {line}", file=sys.stderr)
        return 2 if line.startswith("database niet bereikbaar") else 1
    print(f"zsm-desk: onverwachte fout ({type(e).__name__}); niets gewijzigd.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
