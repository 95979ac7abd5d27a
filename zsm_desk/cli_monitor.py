"""`zsm-desk monitor --van D --tot D [--json | --pdf F] [--csv F] [--xlsx F]`.

Needs the MONITOR role (KPC'er, officier, beheerder). Without an output option
a short Dutch summary is printed. Every run that shows or writes figures adds
one audit line (action ``export``, soort ``monitor``, the period and formats).
The ``--json`` shape is documented in README, "Monitor" (schema ``zsm-monitor/1``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from zsm_desk.cli import CliError, _desk, _print_json, cli_date


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def cmd_monitor(args: argparse.Namespace) -> int:
    from zsm_desk.desk import WriteFailed
    from zsm_desk.services.security import users

    van, tot = cli_date(args.van, "--van"), cli_date(args.tot, "--tot")
    if tot < van:
        raise CliError("--tot ligt vóór --van")
    if args.json and args.pdf:
        raise CliError("kies --json of --pdf, niet allebei")
    outputs = {
        fmt: Path(p) for fmt, p in (("pdf", args.pdf), ("csv", args.csv), ("xlsx", args.xlsx)) if p
    }
    shown = ["json"] if args.json else ([] if outputs else ["tekst"])
    try:
        f = _desk(args).monitor_export(van, tot, outputs, shown=shown)
    except WriteFailed as e:
        raise CliError(str(e)) from None
    except users.NotAllowed as e:
        raise CliError(str(e)) from None
    if args.json:
        _print_json(f)
        return 0
    for fmt, path in outputs.items():
        print(f"Monitor ({fmt.upper()}) geschreven: {path}")
    if not outputs:
        _print_summary(f)
    return 0


def _print_summary(f: dict[str, Any]) -> None:
    p = f["periode"]
    print(f"Monitor {p['van']} t/m {p['tot']} ({f['zsm_locatie']})")
    t = f["instroom"]["tabel"]
    width = max(len(r["label"]) for r in t["rijen"]) + 2
    print(" " * width + "".join(f"{k:>16}" for k in t["kolommen"][1:]))
    for r in t["rijen"]:
        label = r["label"] if r["soort"] == "kop" else f"  {r['label']}"
        print(f"{label:<{width}}" + "".join(f"{c:>16}" for c in r["cellen"]))
    tk = f["terugkoppeling"]
    med = "–" if tk["mediaan_uren"] is None else f"{tk['mediaan_uren']:.1f} uur"
    print(
        f"Terugkoppeling: {tk['verzonden']} van {tk['verwacht']} ({_pct(tk['aandeel'])}), mediaan {med}"
    )
    q = f["adviesvragen"]
    print(f"Adviesvragen: {q['aantal']}, vóór deadline beantwoord {q['voor_deadline']}, "
          f"beslist zonder antwoord {q['zonder_advies']}")  # fmt: skip
    a = f["advies"]["aantallen"]
    print(
        f"Advies gevolgd: ja {a['ja']}, deels {a['deels']}, nee {a['nee']}, geen advies {a['geen advies']}"
    )
    print(f"Aanmeldingen: {f['aanmeldingen']['aantal']}; hits bevestigd {f['hits']['bevestigd']}, "
          f"afgewezen {f['hits']['afgewezen']}")  # fmt: skip


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("monitor", parents=[common], help="monitoringsindicatoren over een periode")
    p.add_argument(
        "--van",
        required=True,
        help="eerste dag (JJJJ-MM-DD of DD-MM-JJJJ), vanaf 00:00 lokale tijd",
    )
    p.add_argument(
        "--tot", required=True, help="laatste dag (JJJJ-MM-DD of DD-MM-JJJJ), tot en met"
    )
    p.add_argument("--pdf", metavar="BESTAND", help="rapport als PDF")
    p.add_argument("--csv", metavar="BESTAND", help="tabellen als CSV (;, UTF-8 met BOM)")
    p.add_argument("--xlsx", metavar="BESTAND", help="tabellen als Excel-werkmap")
    p.set_defaults(func=cmd_monitor)
