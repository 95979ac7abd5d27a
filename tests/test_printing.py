"""The print for the afstemmingsoverleg: content, disclosure rules and layout robustness.

PDF text is checked with poppler's pdftotext; those tests are skipped when it is
absent. Synthetic data only.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from faker import Faker

from zsm_desk.domain.freshness import Freshness
from zsm_desk.domain.printsheet import (
    AMSTERDAM,
    MINOR_SELECTION_TEXT,
    NOT_KNOWN_TITLE,
    UNCONFIRMED_TITLE,
    AdviesvraagAnswer,
    PlanSheet,
    VhSection,
    Visibility,
    parse_hg_historie,
    section_visibility,
    visible_content,
)
from zsm_desk.domain.records import (
    SELECTION_STATUSES,
    Identity,
    InstroomItem,
    InstroomStatus,
    MatchStatus,
)
from zsm_desk.services.printing.render import CONFIDENTIAL, render_day_pack, render_plan

HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None
needs_pdftotext = pytest.mark.skipif(
    not HAVE_PDFTOTEXT, reason="pdftotext (poppler-utils) is not installed"
)

WHEN = dt.datetime(2025, 11, 20, 9, 14, tzinfo=AMSTERDAM)
PRINTED_AT = dt.datetime(2025, 11, 20, 10, 5, tzinfo=AMSTERDAM)
SLAGZIN = "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner, PvA loopt via VH."
ADVIES = "Dagvaarden met het doel om een contactverbod op te leggen (ADVIES-MARKER)."
PLAN = "PvA: wekelijks gesprek met casusregisseur (PLAN-MARKER)."

_fake = Faker("nl_NL")
_fake.seed_instance(2025)


# --- builders --------------------------------------------------------------------


def make_item(
    *,
    status: InstroomStatus = InstroomStatus.IN_BEHANDELING,
    born: str = "1991-03-14",
    achternaam: str | None = None,
    voornamen: str | None = None,
    when: dt.datetime = WHEN,
    bvh: str | None = None,
    feit: str = "Mishandeling (art. 300 Sr)",
    parketnummer: str = "16/123456-25",
) -> InstroomItem:
    return InstroomItem(
        bvh_nummer=bvh or f"PL0900-2025{_fake.unique.random_number(digits=6, fix_len=True)}",
        ingestroomd_op=when,
        identity=Identity(
            achternaam=achternaam or _fake.last_name(),
            voornamen=voornamen or _fake.first_name(),
            geboortedatum=born,
        ),
        feit=feit,
        status=status,
        parketnummer=parketnummer,
    )


def make_section(**overrides: object) -> VhSection:
    values: dict[str, object] = {
        "vh_code": "VH-UTR",
        "vh_naam": "Veiligheidshuis Regio Utrecht",
        "match_status": MatchStatus.BEKEND,
        "slagzin": SLAGZIN,
        "advies": ADVIES,
        "advies_datum": dt.date(2025, 9, 1),
        "doel_interventie": "Stoppen van het geweld binnen het gezin.",
        "context": "Twee jonge kinderen in het gezin.",
        "hg_historie": "2025-03-02 melding ruzie, buren bellen politie\n"
        "2024-11-17 aangifte mishandeling (ingetrokken)",
        "plan_van_aanpak": PLAN,
        "contactpersoon": "Mevr. J. Voorbeeld",
        "contact_telefoon": "030-0000000",
    }
    values.update(overrides)
    return VhSection(**values)  # type: ignore[arg-type]


def make_sheet(
    item: InstroomItem | None = None,
    sections: list[VhSection] | None = None,
    *,
    may_see_content: bool = True,
    answers: tuple[AdviesvraagAnswer, ...] = (),
    printed_at: dt.datetime = PRINTED_AT,
) -> PlanSheet:
    return PlanSheet(
        zsm_locatie="ZSM Midden-Nederland",
        item=item or make_item(),
        sections=[make_section()] if sections is None else sections,
        printed_by="A. Tester",
        printed_at=printed_at,
        may_see_content=may_see_content,
        answers=answers,
    )


def pdf_text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*cmd, str(path), "-"], capture_output=True, check=True, text=True)
    return out.stdout


def flat(text: str) -> str:
    """Whitespace collapsed, so a sentence wrapped over lines still matches."""
    return " ".join(text.split())


def page_count(text: str) -> int:
    return text.count("\f")


# --- fonts -------------------------------------------------------------------------


def test_fonts_are_embedded_truetype() -> None:
    pdf = render_plan(make_sheet())
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # embedded TrueType programs
    assert b"/BaseFont /Helvetica" not in pdf  # no unembedded standard fonts


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts is not installed")
def test_pdffonts_reports_every_font_embedded(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_plan(make_sheet()))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, out.stdout
    for row in rows:
        assert "DejaVuSans" in row and "TrueType" in row
        assert re.search(r"\byes\s+yes\b", row), row  # emb, sub


@needs_pdftotext
def test_diacritics_survive_round_trip(tmp_path: Path) -> None:
    item = make_item(achternaam="Şahin", voornamen="Zoë Anaïs", feit="Bedreiging in café")
    section = make_section(
        plan_van_aanpak="Afspraak met François Çelik, coördinatie via jeugdzorg; ë ï é ş ç",
        contactpersoon="Mevr. Hélène Brontë",
    )
    text = pdf_text(render_plan(make_sheet(item, [section])), tmp_path)
    for word in (
        "Zoë Anaïs Şahin",
        "café",
        "François Çelik",
        "coördinatie",
        "ë ï é ş ç",
        "Hélène Brontë",
        CONFIDENTIAL,
    ):
        assert word in text, word


# --- long and awkward text ---------------------------------------------------------


@needs_pdftotext
def test_long_plan_flows_over_pages_without_losing_text(tmp_path: Path) -> None:
    plan = "\n".join(f"PVA-{i:04d} {_fake.sentence(nb_words=14)}" for i in range(400))
    advies = "\n\n".join(_fake.paragraph(nb_sentences=8) for _ in range(30))
    pdf = render_plan(make_sheet(sections=[make_section(plan_van_aanpak=plan, advies=advies)]))
    text = pdf_text(pdf, tmp_path)
    assert page_count(text) >= 5
    for i in range(400):
        assert f"PVA-{i:04d}" in text, i


def test_absurdly_long_single_lines_do_not_break_layout() -> None:
    huge = "woord " * 4000
    section = make_section(
        slagzin=huge,
        advies=huge,
        contactpersoon=huge[:3000],
        hg_historie="2025-01-01 " + huge,
        plan_van_aanpak="x" * 30000,
    )
    answer = AdviesvraagAnswer("VH-UTR", huge, huge, None, "")
    pdf = render_plan(make_sheet(sections=[section], answers=(answer,)))  # no LayoutError
    assert pdf.startswith(b"%PDF")


@needs_pdftotext
def test_markup_characters_print_literally(tmp_path: Path) -> None:
    nasty = "a < b && c > d <b>niet vet</b> &amp; <br/> R&D"
    item = make_item(feit="Bedreiging <ex-partner> & vernieling")
    section = make_section(
        slagzin="Geen <contact> & geen alcohol",
        plan_van_aanpak=f"regel één\n{nasty}\n\nregel <drie>",
    )
    text = pdf_text(render_plan(make_sheet(item, [section])), tmp_path)
    assert nasty in text
    assert "regel <drie>" in text
    assert "Geen <contact> & geen alcohol" in text
    assert "Bedreiging <ex-partner> & vernieling" in flat(text)


@needs_pdftotext
def test_missing_fields_print_as_dash(tmp_path: Path) -> None:
    item = make_item(parketnummer="", feit="")
    empty = make_section(
        slagzin="",
        advies="",
        advies_datum=None,
        doel_interventie="",
        context="",
        hg_historie="",
        plan_van_aanpak="",
        contactpersoon="",
        contact_telefoon="",
    )
    text = pdf_text(render_plan(make_sheet(item, [empty])), tmp_path)
    lines = [
        x.strip()
        for x in text.splitlines()
        if x.strip() and not x.startswith("Vertrouwelijk — niet verder")  # the margin mark
    ]
    for label in ("ADVIES", "DOEL INTERVENTIE", "CONTEXT", "HG-HISTORIE", "PLAN VAN AANPAK"):
        assert lines[lines.index(label) + 1] == "—", label
    assert "ADVIESDATUM —" in flat(text)
    assert text.count("—") >= 10  # + parketnummer, feit, slagzin, contact, telefoon


# --- the disclosure rules ----------------------------------------------------------


@needs_pdftotext
def test_not_known_sheet_is_one_clear_page(tmp_path: Path) -> None:
    text = pdf_text(render_plan(make_sheet(sections=[])), tmp_path)
    assert NOT_KNOWN_TITLE in text
    assert page_count(text) == 1
    assert "SLAGZIN" not in text
    assert "pagina 1 van 1" in text


def test_onbekend_sections_count_as_not_known() -> None:
    sheet = make_sheet(sections=[make_section(match_status=MatchStatus.ONBEKEND)])
    assert visible_content(sheet).known is False


@needs_pdftotext
def test_mogelijk_hides_vh_content_until_confirmed(tmp_path: Path) -> None:
    section = make_section(match_status=MatchStatus.MOGELIJK)
    text = flat(pdf_text(render_plan(make_sheet(sections=[section])), tmp_path))
    assert UNCONFIRMED_TITLE in text
    assert "Veiligheidshuis Regio Utrecht" in text  # the VH name is allowed
    for secret in (SLAGZIN, ADVIES, PLAN, "melding ruzie", "Stoppen van het geweld"):
        assert secret not in text
    assert "ADVIESDATUM" not in text

    confirmed = make_section(match_status=MatchStatus.MOGELIJK, confirmed=True)
    text = flat(pdf_text(render_plan(make_sheet(sections=[confirmed])), tmp_path))
    assert SLAGZIN in text and PLAN in text and UNCONFIRMED_TITLE not in text


@needs_pdftotext
@pytest.mark.parametrize("status", sorted(SELECTION_STATUSES))
def test_minor_in_selection_shows_known_but_no_content(
    status: InstroomStatus, tmp_path: Path
) -> None:
    item = make_item(status=status, born="2009-05-01")
    answer = AdviesvraagAnswer("VH-UTR", "Vraag?", "ANTWOORD-MARKER", WHEN, "K. Voorbeeld")
    text = flat(pdf_text(render_plan(make_sheet(item, answers=(answer,))), tmp_path))
    assert MINOR_SELECTION_TEXT in text
    assert "Veiligheidshuis Regio Utrecht" in text
    assert "minderjarig" in text
    for secret in (SLAGZIN, ADVIES, PLAN, "ANTWOORD-MARKER", "melding ruzie"):
        assert secret not in text


@needs_pdftotext
def test_minor_in_behandeling_shows_content(tmp_path: Path) -> None:
    item = make_item(status=InstroomStatus.IN_BEHANDELING, born="2009-05-01")
    text = flat(pdf_text(render_plan(make_sheet(item)), tmp_path))
    assert SLAGZIN in text and ADVIES in text and PLAN in text
    assert MINOR_SELECTION_TEXT not in text


def test_minor_is_judged_on_the_instroom_date_in_amsterdam() -> None:
    section = make_section()
    # instroom 20-11-2025 00:30 Amsterdam = 19-11-2025 23:30 UTC
    late = dt.datetime(2025, 11, 19, 23, 30, tzinfo=dt.UTC)
    turns_18_that_day = make_item(status=InstroomStatus.AANGEMELD, born="2007-11-20", when=late)
    assert section_visibility(section, turns_18_that_day, True) is Visibility.SHOW
    day_before = make_item(status=InstroomStatus.AANGEMELD, born="2007-11-21", when=late)
    assert section_visibility(section, day_before, True) is Visibility.HIDDEN_MINOR_SELECTION
    # unknown day/month: the youngest possible age counts (safe side)
    partial = make_item(status=InstroomStatus.AANGEMELD, born="2007-00-00")
    assert section_visibility(section, partial, True) is Visibility.HIDDEN_MINOR_SELECTION
    unreadable = make_item(status=InstroomStatus.AANGEMELD, born="onbekend")
    assert section_visibility(section, unreadable, True) is Visibility.HIDDEN_MINOR_SELECTION


def test_rule_precedence() -> None:
    minor_sel = make_item(status=InstroomStatus.TE_ROUTEREN, born="2010-01-01")
    mogelijk = make_section(match_status=MatchStatus.MOGELIJK)
    assert section_visibility(mogelijk, minor_sel, False) is Visibility.HIDDEN_NO_ROLE
    assert section_visibility(mogelijk, minor_sel, True) is Visibility.HIDDEN_UNCONFIRMED
    assert section_visibility(make_section(), minor_sel, True) is (
        Visibility.HIDDEN_MINOR_SELECTION
    )


@needs_pdftotext
def test_no_role_prints_no_vh_content(tmp_path: Path) -> None:
    answer = AdviesvraagAnswer("VH-UTR", "VRAAG-MARKER", "ANTWOORD-MARKER", WHEN, "K. Voorbeeld")
    sheet = make_sheet(may_see_content=False, answers=(answer,))
    text = flat(pdf_text(render_plan(sheet), tmp_path))
    for secret in (
        SLAGZIN,
        ADVIES,
        PLAN,
        "melding ruzie",
        "VRAAG-MARKER",
        "ANTWOORD-MARKER",
        "Stoppen van het geweld",
        "Twee jonge kinderen",
        "ADVIESDATUM",
    ):
        assert secret not in text
    assert "geen inzage" in text


# --- what is shown -----------------------------------------------------------------


@needs_pdftotext
@pytest.mark.parametrize(
    ("advies_datum", "label", "prompt"),
    [
        (dt.date(2025, 9, 1), "ACTUEEL", None),
        (dt.date(2025, 3, 1), "MINDER ZWAARWEGEND", "ouder dan 6 maanden"),
        (dt.date(2024, 6, 1), "NIET ACTUEEL", "vraag het veiligheidshuis om een update"),
    ],
)
def test_advice_date_and_freshness(
    advies_datum: dt.date, label: str, prompt: str | None, tmp_path: Path
) -> None:
    section = make_section(advies_datum=advies_datum)
    text = flat(pdf_text(render_plan(make_sheet(sections=[section])), tmp_path))
    assert f"ADVIESDATUM {advies_datum:%d-%m-%Y} {label}" in text
    if prompt:
        assert prompt in text


def test_freshness_is_judged_on_the_print_date() -> None:
    sheet = make_sheet(sections=[make_section(advies_datum=dt.date(2025, 5, 20))])
    (view,) = visible_content(sheet).sections
    assert view.verdict is not None and view.verdict.level is Freshness.MINDER_ZWAARWEGEND


@needs_pdftotext
def test_identity_hg_historie_and_answers(tmp_path: Path) -> None:
    item = make_item(
        achternaam="Voorbeeld",
        voornamen="Kees",
        bvh="PL0900-2025999999",
        when=dt.datetime(2025, 11, 20, 8, 14, tzinfo=dt.UTC),
    )
    answer = AdviesvraagAnswer(
        "VH-UTR",
        "Loopt er een PvA?",
        "Ja, sinds maart.",
        dt.datetime(2025, 11, 20, 9, 40, tzinfo=dt.UTC),
        "casusregisseur@vh.example.org",
    )
    text = flat(pdf_text(render_plan(make_sheet(item, answers=(answer,))), tmp_path))
    assert "Kees Voorbeeld" in text
    assert "PL0900-2025999999" in text and "16/123456-25" in text
    assert "14-03-1991" in text and "34 jaar" in text
    assert "20-11-2025 09:14" in text  # instroom shown in Europe/Amsterdam
    assert "02-03-2025 melding ruzie, buren bellen politie" in text
    assert "17-11-2024 aangifte mishandeling (ingetrokken)" in text
    assert "Mevr. J. Voorbeeld" in text and "030-0000000" in text
    assert "Antwoorden op adviesvragen" in text
    assert "ontvangen 20-11-2025 10:40" in text
    assert "casusregisseur@vh.example.org" in text
    assert "Loopt er een PvA?" in text and "Ja, sinds maart." in text


def test_parse_hg_historie() -> None:
    incidents = parse_hg_historie(
        "2025-03-02 melding ruzie\n\n05-06-2024: huisverbod\nzonder datum\n2024-02-30 fout"
    )
    assert [(i.datum, i.omschrijving) for i in incidents] == [
        (dt.date(2025, 3, 2), "melding ruzie"),
        (dt.date(2024, 6, 5), "huisverbod"),
        (None, "zonder datum"),
        (None, "2024-02-30 fout"),
    ]


@needs_pdftotext
def test_footer_page_x_of_y_on_every_page(tmp_path: Path) -> None:
    plan = "\n".join(_fake.paragraph(nb_sentences=4) for _ in range(120))
    utc_print = dt.datetime(2025, 11, 20, 9, 5, tzinfo=dt.UTC)
    pdf = render_plan(
        make_sheet(sections=[make_section(plan_van_aanpak=plan)], printed_at=utc_print)
    )
    total = page_count(pdf_text(pdf, tmp_path))
    assert total >= 3
    for page in range(1, total + 1):
        text = pdf_text(pdf, tmp_path, page)
        assert f"pagina {page} van {total}" in text
        assert "Afgedrukt door A. Tester op 20-11-2025 10:05" in text
        assert CONFIDENTIAL in text


# --- the day pack ------------------------------------------------------------------


@needs_pdftotext
def test_day_pack_cover_and_sections(tmp_path: Path) -> None:
    known = make_sheet(
        make_item(
            achternaam="Aalbers", voornamen="Eva", bvh="PL-A", when=WHEN + dt.timedelta(hours=2)
        )
    )
    mogelijk = make_sheet(
        make_item(achternaam="Bakker", voornamen="Tim", bvh="PL-B", when=WHEN),
        [make_section(match_status=MatchStatus.MOGELIJK, slagzin="GEHEIME-SLAGZIN")],
    )
    minor = make_sheet(
        make_item(
            achternaam="Claes",
            voornamen="Noor",
            bvh="PL-C",
            born="2010-02-02",
            status=InstroomStatus.AANGEMELD,
            when=WHEN + dt.timedelta(hours=1),
        ),
        [make_section(slagzin="JEUGD-SLAGZIN")],
    )
    unknown = make_sheet(make_item(achternaam="Dekker", voornamen="Sem", bvh="PL-D"), [])
    sheets = [known, mogelijk, minor, unknown]
    pdf = render_day_pack(sheets, "ZSM Midden-Nederland", WHEN.date(), "A. Tester", PRINTED_AT)
    text = pdf_text(pdf, tmp_path)
    total = page_count(text)

    cover = flat(pdf_text(pdf, tmp_path, 1))
    assert "Dagoverzicht afstemmingsoverleg" in cover and "4 verdachten" in cover
    for name in ("Aalbers, Eva", "Bakker, Tim", "Claes, Noor", "Dekker, Sem"):
        assert name in cover
    assert cover.index("Bakker") < cover.index("Claes") < cover.index("Aalbers")  # by time
    assert SLAGZIN in cover
    assert "GEHEIME-SLAGZIN" not in text and "JEUGD-SLAGZIN" not in text
    assert "mogelijk bekend — eerst controleren" in cover
    assert "jeugdige in selectie" in cover and "niet bekend" in cover

    # a suspect with VH content starts on a fresh page, with their name in the running
    # header; short notices (nothing to show) share pages under one head (issue 13)
    starts: dict[str, int] = {}
    for page in range(2, total + 1):
        page_text = pdf_text(pdf, tmp_path, page)
        assert f"pagina {page} van {total}" in page_text
        head = [line for line in page_text.splitlines() if line.strip()][:3]
        for sheet in sheets:
            if sheet.item.bvh_nummer in page_text:
                starts.setdefault(sheet.item.bvh_nummer, page)
        if any("BVH PL-A" in line for line in head):
            assert "GEBOORTEDATUM" in page_text  # the identity block opens the page
        elif "PL-A" not in page_text:
            assert "Korte meldingen (geen VH-inhoud)" in page_text
    assert set(starts) == {"PL-A", "PL-B", "PL-C", "PL-D"}
    assert starts["PL-A"] not in (starts["PL-B"], starts["PL-C"], starts["PL-D"])
    assert len({starts["PL-B"], starts["PL-C"], starts["PL-D"]}) < 3  # several to a page
