"""Benchmark (and sample output) for the afstemmingsoverleg print.

    .venv/bin/python benchmarks/print.py            # figures
    .venv/bin/python benchmarks/print.py --out DIR  # also write sample PDFs

Targets: one plan (median of N) under 100 ms; a day pack of 100 suspects under 5 s.
Synthetic data only (Faker nl_NL, fixed seed; mail addresses on example.org).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zsm_desk.domain.printsheet import AMSTERDAM, AdviesvraagAnswer, PlanSheet, VhSection
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus, MatchStatus
from zsm_desk.services.printing.render import render_day_pack, render_plan

FEITEN = (
    "Mishandeling (art. 300 Sr)",
    "Bedreiging (art. 285 Sr)",
    "Winkeldiefstal (art. 310 Sr)",
    "Vernieling (art. 350 Sr)",
    "Huiselijk geweld – mishandeling partner (art. 300/304 Sr)",
    "Openlijke geweldpleging (art. 141 Sr)",
)
VHS = (
    ("VH-UTR", "Veiligheidshuis Regio Utrecht"),
    ("VH-GV", "Veiligheidshuis Gooi en Vechtstreek"),
    ("VH-FL", "Veiligheidshuis Flevoland"),
)
SLAGZINNEN = (
    "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner, PvA loopt via VH.",
    "ZAVP: dagvaarden met het doel om een ISD-maatregel te vorderen; reclassering betrokken.",
    "Jeugd: HALT niet meer passend; overleg met RvdK vóór afdoening, mentor via wijkteam.",
)


def make_sheet(
    fake: Faker,
    rnd: random.Random,
    when: dt.datetime,
    *,
    plan_lines: int = 25,
    known: bool = True,
    status: InstroomStatus = InstroomStatus.IN_BEHANDELING,
    match: MatchStatus = MatchStatus.BEKEND,
    n_vh: int = 1,
    may_see: bool = True,
) -> PlanSheet:
    born = fake.date_of_birth(minimum_age=16, maximum_age=60)
    ident = Identity(
        achternaam=fake.last_name(),
        voornamen=fake.first_name(),
        geboortedatum=born.isoformat(),
        voorvoegsel=rnd.choice(["", "", "van", "de", "van der"]),
        gemeente=fake.city(),
    )
    item = InstroomItem(
        bvh_nummer=f"PL0900-2025{rnd.randrange(10**6):06d}",
        ingestroomd_op=when,
        identity=ident,
        feit=rnd.choice(FEITEN),
        status=status,
        parketnummer=f"16/{rnd.randrange(10**6):06d}-25" if rnd.random() < 0.7 else "",
        woonplaats=fake.city(),
    )
    sections = []
    if known:
        for code, naam in rnd.sample(VHS, n_vh):
            advies_datum = when.date() - dt.timedelta(days=rnd.choice([20, 75, 210, 300, 420]))
            hg = "\n".join(
                f"{(advies_datum - dt.timedelta(days=40 * k)).isoformat()} "
                f"{fake.sentence(nb_words=10)}"
                for k in range(rnd.randrange(0, 6))
            )
            plan = "\n".join(
                (f"{k + 1}. " if k % 7 == 0 else "") + fake.paragraph(nb_sentences=3)
                for k in range(plan_lines)
            )
            sections.append(
                VhSection(
                    vh_code=code,
                    vh_naam=naam,
                    match_status=match,
                    slagzin=rnd.choice(SLAGZINNEN),
                    advies=fake.paragraph(nb_sentences=5) + "\n" + fake.paragraph(nb_sentences=3),
                    advies_datum=advies_datum,
                    doel_interventie=fake.paragraph(nb_sentences=2),
                    context=fake.paragraph(nb_sentences=3),
                    hg_historie=hg,
                    plan_van_aanpak=plan,
                    contactpersoon=fake.name(),
                    contact_telefoon=fake.phone_number(),
                )
            )
    answers = []
    if known and rnd.random() < 0.3:
        answers.append(
            AdviesvraagAnswer(
                vh_code=sections[0].vh_code,
                vh_naam=sections[0].vh_naam,
                vraag=fake.paragraph(nb_sentences=2),
                antwoord=fake.paragraph(nb_sentences=4),
                ontvangen_op=when + dt.timedelta(hours=2),
                van_wie=f"{fake.name()} (casusregisseur@vh.example.org)",
            )
        )
    return PlanSheet(
        zsm_locatie="ZSM Midden-Nederland",
        item=item,
        sections=sections,
        answers=answers,
        printed_by="A. Tester",
        printed_at=when + dt.timedelta(hours=3),
        may_see_content=may_see,
    )


def day_sheets(n: int, seed: int = 7) -> list[PlanSheet]:
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    start = dt.datetime(2025, 11, 20, 7, 30, tzinfo=AMSTERDAM)
    sheets = []
    for k in range(n):
        when = start + dt.timedelta(minutes=6 * k)
        r = rnd.random()
        sheets.append(
            make_sheet(
                fake,
                rnd,
                when,
                plan_lines=rnd.randrange(5, 40),
                match=MatchStatus.MOGELIJK if r < 0.1 else MatchStatus.BEKEND,
                n_vh=2 if r > 0.85 else 1,
                status=rnd.choice(list(InstroomStatus)),
            )
        )
    return sheets


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=30, help="repetitions for the single plan")
    ap.add_argument("--pack", type=int, default=100, help="suspects in the day pack")
    ap.add_argument("--out", type=Path, help="write sample PDFs into this directory")
    args = ap.parse_args()

    sheets = day_sheets(args.pack)
    plan = sheets[0]
    t0 = time.perf_counter()
    render_plan(plan)  # first call also parses and registers the TrueType fonts
    print(
        f"render_plan, first call in this process (font registration): "
        f"{(time.perf_counter() - t0) * 1000:.1f} ms"
    )

    times = []
    for _ in range(args.n):
        t0 = time.perf_counter()
        pdf = render_plan(plan)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times) * 1000
    print(
        f"render_plan: median {med:.1f} ms, min {min(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms over {args.n} runs; {len(pdf) / 1024:.0f} KiB "
        f"[target < 100 ms: {'OK' if med < 100 else 'TOO SLOW'}]"
    )

    fake = Faker("nl_NL")
    fake.seed_instance(11)
    long_plan = make_sheet(fake, random.Random(11), plan.item.ingestroomd_op, plan_lines=400)
    long_times = []
    for _ in range(max(3, args.n // 5)):
        t0 = time.perf_counter()
        long_pdf = render_plan(long_plan)
        long_times.append(time.perf_counter() - t0)
    print(
        f"render_plan, 400-line plan van aanpak: median "
        f"{statistics.median(long_times) * 1000:.0f} ms; {_pages(long_pdf)} pages"
    )

    t0 = time.perf_counter()
    pack = render_day_pack(
        sheets, "ZSM Midden-Nederland", dt.date(2025, 11, 20), "A. Tester", plan.printed_at
    )
    secs = time.perf_counter() - t0
    pages = _pages(pack)
    print(
        f"render_day_pack: {args.pack} suspects in {secs:.2f} s; {len(pack) / 1024:.0f} KiB"
        f"{f', {pages} pages' if pages else ''} [target < 5 s: {'OK' if secs < 5 else 'TOO SLOW'}]"
    )

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "plan.pdf").write_bytes(pdf)
        (args.out / "dagpakket.pdf").write_bytes(pack)
        print(f"wrote {args.out / 'plan.pdf'} and {args.out / 'dagpakket.pdf'}")


if __name__ == "__main__":
    main()
