"""The print for the afstemmingsoverleg: one suspect, or the day pack (reportlab).

Pure functions from `PlanSheet` values to PDF bytes: no database, no Qt. What
may be shown is decided by `zsm_desk.domain.printsheet.visible_content`; this
module only lays it out.

Layout rules that keep long VH texts from being clipped: every source line
becomes its own Paragraph (Paragraphs split across pages), tables split by row
and, for very tall cells, inside a row; no boxed Flowable is taller than a frame.
All text is escaped for reportlab's mini-markup, so `<`, `&` and `>` print as
written. Fonts are DejaVu Sans, embedded as TrueType subsets.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from zsm_desk.domain.freshness import Freshness
from zsm_desk.domain.printsheet import (
    MISSING,
    NOT_KNOWN_TEXT,
    NOT_KNOWN_TITLE,
    AnswerView,
    PlanSheet,
    SectionView,
    SheetView,
    Visibility,
    local,
    nl_date,
    nl_datetime,
    nl_time,
    or_missing,
    parse_hg_historie,
    status_text,
    time_left_text,
    visible_content,
)
from zsm_desk.domain.records import MatchStatus, PartialDate

__all__ = ["CONFIDENTIAL", "render_day_pack", "render_plan"]

CONFIDENTIAL = "VERTROUWELIJK — alleen voor het afstemmingsoverleg"

# --- fonts -----------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
SANS = "ZsmDejaVuSans"
SANS_BOLD = "ZsmDejaVuSans-Bold"
SANS_ITALIC = "ZsmDejaVuSans-Oblique"
_font_lock = threading.Lock()
_fonts_ready = False


def _register_fonts() -> None:
    """Register the shipped DejaVu TrueType fonts once per process."""
    global _fonts_ready
    with _font_lock:
        if _fonts_ready:
            return
        for name, file in (
            (SANS, "DejaVuSans.ttf"),
            (SANS_BOLD, "DejaVuSans-Bold.ttf"),
            (SANS_ITALIC, "DejaVuSans-Oblique.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD
        )
        _fonts_ready = True


# --- look ------------------------------------------------------------------------

INK = colors.HexColor("#1b2129")
MUTED = colors.HexColor("#5c6670")
FAINT = colors.HexColor("#9aa3ad")
RULE = colors.HexColor("#d3d8de")
ACCENT = colors.HexColor("#1f3a5f")
PANEL = colors.HexColor("#f3f5f8")
ZEBRA = colors.HexColor("#f6f7f9")
SLAGZIN_BG = colors.HexColor("#fff5cc")
SLAGZIN_BAR = colors.HexColor("#d9a400")
CONFIDENTIAL_RED = colors.HexColor("#a3122a")
NOTICE_BG = colors.HexColor("#eef1f5")
NOTICE_BAR = colors.HexColor("#6b7a8c")

FRESHNESS_COLOURS = {
    Freshness.ACTUEEL: colors.HexColor("#1e7a3c"),
    Freshness.MINDER_ZWAARWEGEND: colors.HexColor("#b45f00"),
    Freshness.NIET_ACTUEEL: colors.HexColor("#b3122e"),
}

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 20 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle(
            "base", fontName=SANS, fontSize=9.5, leading=13.5, textColor=INK, splitLongWords=1
        )
        self.body = ParagraphStyle("body", base, spaceAfter=2.5)
        self.body_gap = ParagraphStyle("body_gap", self.body, spaceBefore=6)
        self.title = ParagraphStyle(
            "title", base, fontName=SANS_BOLD, fontSize=19, leading=23, spaceAfter=2
        )
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=10, textColor=MUTED)
        self.label = ParagraphStyle(
            "label", base, fontName=SANS_BOLD, fontSize=7, leading=9, textColor=MUTED
        )
        self.value = ParagraphStyle("value", base, fontSize=10.5, leading=13.5)
        self.value_bold = ParagraphStyle("value_bold", self.value, fontName=SANS_BOLD)
        self.h_vh = ParagraphStyle(
            "h_vh", base, fontName=SANS_BOLD, fontSize=13.5, leading=17, textColor=ACCENT
        )
        self.h_vh_right = ParagraphStyle(
            "h_vh_right", base, fontSize=8.5, leading=11.5, textColor=MUTED, alignment=TA_RIGHT
        )
        self.h_field = ParagraphStyle(
            "h_field",
            base,
            fontName=SANS_BOLD,
            fontSize=8,
            leading=10,
            textColor=ACCENT,
            spaceBefore=11,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.h_block = ParagraphStyle(
            "h_block",
            base,
            fontName=SANS_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=16,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.slagzin_label = ParagraphStyle(
            "slagzin_label", self.label, textColor=colors.HexColor("#7a5c00")
        )
        self.slagzin = ParagraphStyle(
            "slagzin", base, fontName=SANS_BOLD, fontSize=12.5, leading=17
        )
        self.date_line = ParagraphStyle("date_line", base, fontSize=10, leading=15)
        self.prompt = ParagraphStyle(
            "prompt", base, fontName=SANS_ITALIC, fontSize=9, leading=12, spaceBefore=1
        )
        self.notice_title = ParagraphStyle(
            "notice_title", base, fontName=SANS_BOLD, fontSize=10.5, leading=14
        )
        self.notice = ParagraphStyle("notice", base, fontSize=9.5, leading=13, textColor=INK)
        self.big_notice_title = ParagraphStyle(
            "big_notice_title", base, fontName=SANS_BOLD, fontSize=15, leading=20
        )
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED)
        self.cell = ParagraphStyle("cell", base, fontSize=8.5, leading=11)
        self.cell_bold = ParagraphStyle("cell_bold", self.cell, fontName=SANS_BOLD)
        self.cell_muted = ParagraphStyle(
            "cell_muted", self.cell, fontName=SANS_ITALIC, textColor=MUTED
        )
        self.cell_head = ParagraphStyle(
            "cell_head", self.label, fontSize=7, leading=9, textColor=colors.white
        )
        self.hg_date = ParagraphStyle("hg_date", self.cell, fontName=SANS_BOLD, fontSize=9)
        self.hg_text = ParagraphStyle("hg_text", self.cell, fontSize=9, leading=12)


#: Tables set their cell font even for Flowable cells; without this an unembedded
#: Helvetica would end up in the PDF.
_TABLE_FONT = [("FONT", (0, 0), (-1, -1), SANS, 9.5)]

# --- text helpers ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _esc(text: str) -> str:
    """Text as written, safe for reportlab's paragraph markup."""
    return escape(_CONTROL.sub("", text.replace("\t", "    ")))


def _lines(text: str | None) -> list[str]:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _paras(text: str | None, style: ParagraphStyle, gap: ParagraphStyle) -> list[Flowable]:
    """One Paragraph per source line; blank lines become paragraph spacing; `—` if empty."""
    if not text or not text.strip():
        return [Paragraph(MISSING, style)]
    out: list[Flowable] = []
    pending_gap = False
    for line in _lines(text.strip()):
        if not line.strip():
            pending_gap = True
            continue
        # keep leading indentation visible (lists typed with spaces)
        stripped = line.lstrip(" ")
        indent = "&nbsp;" * (len(line) - len(stripped))
        out.append(Paragraph(indent + _esc(stripped.rstrip()), gap if pending_gap else style))
        pending_gap = False
    return out


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A one-value Paragraph; empty → `—`; line breaks kept."""
    return Paragraph("<br/>".join(_esc(x) for x in _lines(or_missing(text))), style)


def _markup(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph from markup written in this module (values escaped by the caller)."""
    return Paragraph(text, style)


def _hex(c: colors.Color) -> str:
    return "#" + c.hexval()[2:]


# --- page furniture ----------------------------------------------------------------


def _flat(story: list[Flowable]) -> list[Flowable]:
    """Unwrap nested KeepTogether: inside another one it forces a page break."""
    out: list[Flowable] = []
    for f in story:
        if isinstance(f, KeepTogether):
            out += _flat(list(f._content))
        else:
            out.append(f)
    return out


class _Rule(Flowable):
    """A thin line across the frame between two short notices."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, 14

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 10, self.width, 10)


class _RunningHead(Flowable):
    """Zero-size marker: from here on the running header shows `text`."""

    def __init__(self, state: dict[str, str], text: str) -> None:
        super().__init__()
        self._state = state
        self._text = text
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._state["running"] = self._text


def _numbered_canvas(font: str, size: float) -> type[Canvas]:
    """A canvas that writes `pagina X van Y` once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # no stray unembedded Helvetica in the page resources
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                self.setFont(font, size)
                self.setFillColor(MUTED)
                self.drawRightString(
                    PAGE_W - MARGIN_X, 11 * mm, f"pagina {self._pageNumber} van {total}"
                )
                super().showPage()
            super().save()

    return NumberedCanvas


#: Drawn once by `scripts/make-watermark.py` (a picture, not text: it survives
#: a copier and stays out of the PDF's text). Given by file name, reportlab
#: embeds it once per document and every page refers to it.
WATERMARK_PNG = FONT_DIR.parent / "watermark.png"


@functools.cache
def _watermark_ratio() -> float:
    """Height over width of the watermark picture."""
    iw, ih = ImageReader(str(WATERMARK_PNG)).getSize()
    return float(ih / iw)


def _see_through(c: colors.Color) -> colors.Color:
    """A row shade the watermark shows through (a white fill would hide it)."""
    return colors.Color(c.red, c.green, c.blue, alpha=0.6)


def _on_page_start(canv: Canvas, doc: BaseDocTemplate) -> None:
    _watermark(canv)  # before the page's content, so the text is printed over it


def _watermark(canv: Canvas) -> None:
    """A large diagonal "VERTROUWELIJK" across the page, drawn first (under the text)."""
    w = PAGE_W * 0.85
    h = w * _watermark_ratio()
    canv.drawImage(str(WATERMARK_PNG), (PAGE_W - w) / 2, (PAGE_H - h) / 2, w, h, mask="auto")


def _page_decorator(
    state: dict[str, str], zsm_locatie: str, datum: dt.date, printed_by: str, printed_at: str
) -> Callable[[Canvas, BaseDocTemplate], None]:
    right_top = f"{or_missing(zsm_locatie)}  ·  {nl_date(datum)}"
    footer = f"Afgedrukt door {or_missing(printed_by)} op {printed_at}"
    margin_mark = (
        f"Vertrouwelijk — niet verder verspreiden  ·  afgedrukt door "
        f"{or_missing(printed_by)} op {printed_at}"
    )

    def decorate(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        top = PAGE_H - 12 * mm
        canv.setFont(SANS_BOLD, 8)
        canv.setFillColor(CONFIDENTIAL_RED)
        canv.drawString(MARGIN_X, top, CONFIDENTIAL)
        canv.setFont(SANS, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(PAGE_W - MARGIN_X, top, right_top)
        running = state.get("running", "")
        if running:
            canv.setFont(SANS_BOLD, 9)
            canv.setFillColor(INK)
            canv.drawString(MARGIN_X, top - 12, running)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, top - 17, PAGE_W - MARGIN_X, top - 17)
        # footer
        canv.line(MARGIN_X, 15 * mm, PAGE_W - MARGIN_X, 15 * mm)
        canv.setFont(SANS, 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN_X, 11 * mm, footer)
        # the margin mark: who printed this copy, along the left edge
        canv.setFont(SANS, 6)
        canv.setFillColor(FAINT)
        canv.translate(9 * mm, MARGIN_BOTTOM)
        canv.rotate(90)
        canv.drawString(0, 0, margin_mark)
        canv.restoreState()

    return decorate


def _build(
    story: list[Flowable],
    state: dict[str, str],
    zsm_locatie: str,
    datum: dt.date,
    printed_by: str,
    printed_at: dt.datetime,
) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title="ZSM Desk — afdruk afstemmingsoverleg (vertrouwelijk)",
        author="ZSM Desk",
        creator="ZSM Desk",
        subject=CONFIDENTIAL,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        BODY_W,
        FRAME_H,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    decorate = _page_decorator(state, zsm_locatie, datum, printed_by, nl_datetime(printed_at))
    doc.addPageTemplates(
        [PageTemplate("page", frames=[frame], onPage=_on_page_start, onPageEnd=decorate)]
    )
    doc.build(story, canvasmaker=_numbered_canvas(SANS, 7.5))
    return buf.getvalue()


# --- boxes -------------------------------------------------------------------------


def _box(
    rows: list[list[Flowable]],
    background: colors.Color,
    bar: colors.Color,
    bar_width: float = 3.5,
    padding: float = 9,
) -> Table:
    """A panel with a coloured bar on the left; splits inside its row if ever too tall."""
    t = Table([[r] for r in rows], colWidths=[BODY_W], splitByRow=1, splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("LINEBEFORE", (0, 0), (0, -1), bar_width, bar),
                ("LEFTPADDING", (0, 0), (-1, -1), padding + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, 0), padding - 2),
                ("BOTTOMPADDING", (0, -1), (-1, -1), padding),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


# --- one suspect ---------------------------------------------------------------------


def _age_text(view: SheetView, geboortedatum: str) -> str:
    if view.age is None:
        return "onbekend — behandeld als minderjarig"
    try:
        partial = not PartialDate.parse(geboortedatum).complete
    except ValueError:
        partial = True
    text = f"{view.age} jaar" + (" (of ouder)" if partial else "")
    return text + (" — minderjarig" if view.minor else "")


def _birth_text(geboortedatum: str) -> str:
    try:
        return PartialDate.parse(geboortedatum).display()
    except ValueError:
        return or_missing(geboortedatum)


def _identity_block(sheet: PlanSheet, view: SheetView, st: _Styles) -> list[Flowable]:
    item = sheet.item
    ident = item.identity

    def cell(label: str, value: str | None, style: ParagraphStyle | None = None) -> list[Flowable]:
        return [_markup(label.upper(), st.label), _p(value, style or st.value)]

    age_style = st.value_bold if view.minor else st.value
    rows = [
        [
            cell("Geboortedatum", _birth_text(ident.geboortedatum)),
            cell("Leeftijd", _age_text(view, ident.geboortedatum), age_style),
            cell("BVH-nummer", item.bvh_nummer),
            cell("Parketnummer", item.parketnummer),
        ],
        [
            cell("Feit", item.feit, st.value_bold),
            [],  # spanned by "Feit"
            cell("Instroom", nl_datetime(item.ingestroomd_op)),
            cell("Status", str(item.status)),
        ],
    ]
    col = BODY_W / 4
    grid = Table(rows, colWidths=[col] * 4, splitByRow=1, splitInRow=1)
    grid.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("SPAN", (0, 1), (1, 1)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ]
        )
    )
    return [
        _p(ident.display_name(), st.title),
        Spacer(1, 4),
        grid,
        Spacer(1, 6),
    ]


def _not_known_block(st: _Styles) -> list[Flowable]:
    return [
        Spacer(1, 14),
        _box(
            [
                _markup(_esc(NOT_KNOWN_TITLE), st.big_notice_title),
                Spacer(1, 4),
                _markup(_esc(NOT_KNOWN_TEXT), st.notice),
            ],
            NOTICE_BG,
            NOTICE_BAR,
            bar_width=5,
            padding=14,
        ),
    ]


def _vh_heading(sv: SectionView, st: _Styles) -> Table:
    s = sv.section
    name = _esc(or_missing(s.vh_naam if s.vh_naam.strip() else s.vh_code))
    code = _esc(s.vh_code) if s.vh_naam.strip() else ""
    status = ""
    if s.match_status is MatchStatus.MOGELIJK and s.confirmed and sv.visibility.shows_content:
        status = " · match bevestigd"
    left = _markup(
        f"{name}<font name='{SANS}' size='8.5' color='{_hex(MUTED)}'>"
        f"&nbsp;&nbsp;{code}{_esc(status)}</font>",
        st.h_vh,
    )
    right = _markup(
        f"Contactpersoon<br/><font name='{SANS_BOLD}' color='{_hex(INK)}'>"
        f"{_esc(or_missing(s.contactpersoon))}</font>"
        f"&nbsp;&nbsp;{_esc(or_missing(s.contact_telefoon))}",
        st.h_vh_right,
    )
    t = Table([[left, right]], colWidths=[BODY_W * 0.58, BODY_W * 0.42], splitByRow=1, splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("LINEABOVE", (0, 0), (-1, 0), 2, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return t


def _advice_date_line(sv: SectionView, st: _Styles) -> list[Flowable]:
    s = sv.section
    label = f"<font name='{SANS_BOLD}' size='7' color='{_hex(MUTED)}'>ADVIESDATUM</font>"
    if s.advies_datum is None or sv.verdict is None:
        return [_markup(f"{label}&nbsp;&nbsp;<b>{MISSING}</b>", st.date_line)]
    v = sv.verdict
    colour = _hex(FRESHNESS_COLOURS[v.level])
    months = (
        "minder dan een maand oud"
        if v.months == 0
        else ("1 maand oud" if v.months == 1 else f"{v.months} maanden oud")
    )
    line = (
        f"{label}&nbsp;&nbsp;<font size='12'><b>{nl_date(s.advies_datum)}</b></font>"
        f"&nbsp;&nbsp;&nbsp;<font name='{SANS_BOLD}' size='8.5' color='white' "
        f"backColor='{colour}'>&nbsp;{_esc(v.level.value.upper())}&nbsp;</font>"
        f"&nbsp;&nbsp;<font color='{_hex(MUTED)}'>{months}</font>"
    )
    out: list[Flowable] = [_markup(line, st.date_line)]
    if v.prompt:
        out.append(
            _markup(
                f"<font color='{colour}'>{_esc(v.prompt)}</font>",
                st.prompt,
            )
        )
    return out


def _field(title: str, text: str | None, st: _Styles) -> list[Flowable]:
    return [_markup(_esc(title.upper()), st.h_field), *_paras(text, st.body, st.body_gap)]


def _hg_block(text: str, st: _Styles) -> list[Flowable]:
    head = _markup("HG-HISTORIE", st.h_field)
    incidents = parse_hg_historie(text or "")
    if not incidents:
        return [head, _p(None, st.body)]
    rows = [[_p(nl_date(i.datum), st.hg_date), _p(i.omschrijving, st.hg_text)] for i in incidents]
    t = Table(rows, colWidths=[26 * mm, BODY_W - 26 * mm], splitByRow=1, splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
            ]
        )
    )
    return [head, t]


def _section_story(sv: SectionView, st: _Styles) -> list[Flowable]:
    s = sv.section
    heading = _vh_heading(sv, st)
    if not sv.visibility.shows_content:
        notice = _box(
            [
                _markup(_esc(sv.visibility.label), st.notice_title),
                Spacer(1, 2),
                _markup(_esc(sv.visibility.explanation), st.notice),
            ],
            NOTICE_BG,
            NOTICE_BAR,
        )
        return [Spacer(1, 16), KeepTogether([heading, notice])]

    slagzin = _box(
        [
            _markup("SLAGZIN", st.slagzin_label),
            Spacer(1, 1),
            *_paras(s.slagzin, st.slagzin, st.slagzin),
        ],
        SLAGZIN_BG,
        SLAGZIN_BAR,
        bar_width=5,
        padding=11,
    )
    top = [heading, slagzin, Spacer(1, 7), *_advice_date_line(sv, st)]
    return [
        Spacer(1, 16),
        KeepTogether(top),
        *_field("Advies", s.advies, st),
        *_field("Doel interventie", s.doel_interventie, st),
        *_field("Context", s.context, st),
        *_hg_block(s.hg_historie, st),
        *_field("Plan van aanpak", s.plan_van_aanpak, st),
    ]


def _answers_story(answers: Sequence[AnswerView], st: _Styles) -> list[Flowable]:
    if not answers:
        return []
    out: list[Flowable] = [
        Spacer(1, 10),
        _markup("Antwoorden op adviesvragen", st.h_block),
    ]
    for av in answers:
        a = av.answer
        vh = _esc(a.vh_naam.strip() or a.vh_code)
        meta = (
            f"<b>{vh}</b>&nbsp;&nbsp;<font color='{_hex(MUTED)}'>ontvangen "
            f"{nl_datetime(a.ontvangen_op)} · van {_esc(or_missing(a.van_wie))}</font>"
        )
        out.append(Spacer(1, 6))
        if not av.visibility.shows_content:
            out.append(
                KeepTogether(
                    [
                        _markup(meta, st.body),
                        _markup(
                            f"<i>Inhoud niet zichtbaar: {_esc(av.visibility.label)}</i>",
                            st.small,
                        ),
                    ]
                )
            )
            continue
        out.append(_markup(meta, ParagraphStyle("meta", st.body, keepWithNext=1)))
        out.append(_markup("VRAAG", st.h_field))
        out.extend(_paras(a.vraag, st.body, st.body_gap))
        out.append(_markup("ANTWOORD", st.h_field))
        out.extend(_paras(a.antwoord, st.body, st.body_gap))
        out.append(Spacer(1, 4))
    return out


SHORT_HEAD = "Korte meldingen (geen VH-inhoud)"


def is_short(sheet: PlanSheet) -> bool:
    """A sheet without VH content to show: a notice of a few lines."""
    view = visible_content(sheet)
    shown = any(s.visibility.shows_content for s in view.sections)
    return not shown and not any(a.visibility.shows_content for a in view.answers)


def _sheet_story(
    sheet: PlanSheet, st: _Styles, state: dict[str, str], running: str = ""
) -> list[Flowable]:
    view = visible_content(sheet)
    ident = sheet.item.identity
    running = running or (
        f"{ident.display_name() or MISSING}  ·  BVH {or_missing(sheet.item.bvh_nummer)}"
    )
    story: list[Flowable] = [_RunningHead(state, running)]
    story += _identity_block(sheet, view, st)
    if not view.known:
        story += _not_known_block(st)
    for sv in view.sections:
        story += _section_story(sv, st)
    story += _answers_story(view.answers, st)
    return story


def render_plan(sheet: PlanSheet) -> bytes:
    """The print of one suspect for the afstemmingsoverleg, as PDF bytes."""
    _register_fonts()
    st = _Styles()
    state: dict[str, str] = {}
    story = _sheet_story(sheet, st, state)
    return _build(
        story,
        state,
        sheet.zsm_locatie,
        local(sheet.printed_at).date(),
        sheet.printed_by,
        sheet.printed_at,
    )


# --- the day pack ------------------------------------------------------------------

_SHORT_REASON = {
    Visibility.HIDDEN_NO_ROLE: "geen inzage (rol)",
    Visibility.HIDDEN_UNCONFIRMED: "mogelijk bekend — eerst controleren",
    Visibility.HIDDEN_MINOR_SELECTION: "jeugdige in selectie — niet zichtbaar",
}


def _cover_story(
    sheets: Sequence[PlanSheet],
    zsm_locatie: str,
    datum: dt.date,
    st: _Styles,
    state: dict[str, str],
    selectie: str = "",
) -> list[Flowable]:
    n = len(sheets)
    story: list[Flowable] = [
        _RunningHead(state, "Dagoverzicht"),
        _markup("Dagoverzicht afstemmingsoverleg", st.title),
        _markup(
            f"{_esc(or_missing(zsm_locatie))}  ·  {nl_date(datum)}  ·  "
            f"{n} {'verdachte' if n == 1 else 'verdachten'}",
            st.subtitle,
        ),
        # Which suspects this pack holds: the whole day, or the filter that applied.
        _markup(_esc(selectie or "Selectie: alle bekende verdachten van de dag."), st.small),
        Spacer(1, 12),
    ]
    widths = [15 * mm, 34 * mm, 26 * mm, 20 * mm, 24 * mm, 18 * mm, BODY_W - 137 * mm]
    titles = ("TIJD", "VERDACHTE", "FEIT", "TIJD OVER", "STATUS", "VH", "SLAGZIN")
    head = [_markup(h, st.cell_head) for h in titles]
    rows: list[list[Any]] = [head]
    for sheet in sheets:
        view = visible_content(sheet)
        item = sheet.item
        ident = item.identity
        when = nl_time(item.ingestroomd_op)
        if local(item.ingestroomd_op).date() != datum:
            when = local(item.ingestroomd_op).strftime("%d-%m %H:%M")
        age = "" if view.age is None else f" ({view.age} jr)"
        left = time_left_text(sheet)
        person = [
            _p(ident.sort_name(), st.cell_bold),
            _markup(
                f"geb. {_esc(_birth_text(ident.geboortedatum))}{age}<br/>"
                f"BVH {_esc(or_missing(item.bvh_nummer))}",
                st.small,
            ),
        ]
        vh_cell: list[Flowable] = []
        slag_cell: list[Flowable] = []
        if not view.known:
            vh_cell.append(_markup("niet bekend", st.cell_muted))
            slag_cell.append(_p(None, st.cell_muted))
        for sv in view.sections:
            s = sv.section
            # A hit a person confirmed is known, not "mogelijk" (issue 13 §9).
            unconfirmed = s.match_status is MatchStatus.MOGELIJK and not s.confirmed
            mark = " (mogelijk)" if unconfirmed else ""
            vh_cell.append(_p(f"{s.vh_code.strip() or s.vh_naam}{mark}", st.cell))
            prefix = f"<b>{_esc(s.vh_code)}:</b> " if len(view.sections) > 1 else ""
            if sv.visibility.shows_content:
                text = "<br/>".join(_esc(x) for x in _lines(or_missing(s.slagzin)))
                slag_cell.append(_markup(prefix + text, st.cell))
            else:
                slag_cell.append(
                    _markup(prefix + f"<i>{_SHORT_REASON[sv.visibility]}</i>", st.cell_muted)
                )
        rows.append(
            [
                _markup(_esc(when), st.cell_bold),
                person,
                _p(item.feit, st.cell),
                _markup(f"<b>{_esc(left)}</b>" if "te laat" in left else _esc(left), st.small),
                _p(status_text(sheet), st.small),
                vh_cell,
                slag_cell,
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, _see_through(ZEBRA)]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ]
        )
    )
    story.append(table)
    return story


def render_day_pack(
    sheets: Sequence[PlanSheet],
    zsm_locatie: str,
    datum: dt.date,
    printed_by: str,
    printed_at: dt.datetime,
    selectie: str = "",
) -> bytes:
    """Cover list of every sheet passed, then one section per suspect on a new page.

    `selectie` says on the cover which suspects the pack holds (a filter that
    applied); empty: the whole day.
    """
    _register_fonts()
    st = _Styles()
    state: dict[str, str] = {}
    ordered = sorted(sheets, key=lambda s: (s.item.ingestroomd_op, s.item.bvh_nummer))
    story = _cover_story(ordered, zsm_locatie, datum, st, state, selectie)
    previous_short = False
    for sheet in ordered:
        if is_short(sheet):
            # Short notices share pages: a new page only when this one is full.
            notice = _flat(_sheet_story(sheet, st, state, SHORT_HEAD))
            if previous_short:  # on the same page when it fits whole, else the next
                notice = [Spacer(1, 6), _Rule(), *notice]
            else:
                story.append(PageBreak())
            story.append(KeepTogether(notice))
            previous_short = True
        else:
            story.append(PageBreak())
            story += _sheet_story(sheet, st, state)
            previous_short = False
    return _build(story, state, zsm_locatie, datum, printed_by, printed_at)
