"""Monitoring: load the events for a period, compute, export (JSON/CSV/XLSX/PDF).

`load_input` reads the database with a handful of Core queries (no ORM
objects per row) into the plain records of `zsm_desk.domain.monitoring`;
`compute` there does the counting. `figures` is both together behind the
MONITOR role. The exports render `report_tables`, so the window, CSV, XLSX and
PDF always show the same numbers. Every export is written to the audit trail
(counts only, no personal data).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import Connection, DateTime, String, and_, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from zsm_desk.domain.access import Action, Role
from zsm_desk.domain.clock import SystemClock
from zsm_desk.domain.monitoring import (
    AFGEWEZEN,
    BEVESTIGD,
    SOORT_AANMELDING,
    SOORT_TERUGKOPPELING,
    TZ,
    AdviesvraagEvent,
    ConsultEvent,
    DecisionEvent,
    Figures,
    ItemEvent,
    MonitorInput,
    OutboxEvent,
    Period,
    PurgeEvent,
    ReportTable,
    ReviewEvent,
    VhInfo,
    compute,
    report_tables,
    short_name,
)
from zsm_desk.services.security.users import require
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.files import write_private
from zsm_desk.services.storage.models import (
    Adviesvraag,
    AuditEntry,
    Decision,
    Match,
    OutboxMessage,
    PurgeRecord,
    RegisterMarking,
)
from zsm_desk.services.storage.models import InstroomItem as ItemRow

FORMATS = ("json", "csv", "xlsx", "pdf")


# --- loading --------------------------------------------------------------------------------


def _in(col: Any, period: Period) -> Any:
    return and_(col >= period.start, col < period.end)


def _aware(value: str | dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC timestamp (text on SQLite) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=dt.UTC)


def load_input(session: Session, period: Period) -> MonitorInput:
    """All events the figures of `period` need, in a few set-based queries."""
    settings = load_settings(session)
    # Core execution on the session's connection: plain rows, no ORM loading machinery.
    conn = session.connection()
    # The big columns bypass UTCDateTime: SQLite text parsed with fromisoformat (C), a
    # third of the load time on 20,000 items. Same values, see `_aware`.
    raw_type = String() if conn.dialect.name == "sqlite" else DateTime()

    def raw(col: Any, name: str) -> Any:
        return type_coerce(col, raw_type).label(name)

    vhs = tuple(VhInfo(v.code, v.naam, tuple(v.gemeenten)) for v in settings.veiligheidshuizen)

    dec_items = select(Decision.item_id).where(_in(Decision.besloten_op, period))
    item_cond = or_(_in(ItemRow.ingestroomd_op, period), ItemRow.id.in_(dec_items))

    # Certain hits on active markings (services.known_clients.effective_status == bekend).
    known: dict[int, list[str]] = {}
    rows = conn.execute(
        select(Match.item_id, RegisterMarking.vh_code)
        .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
        .join(ItemRow, ItemRow.id == Match.item_id)
        .where(
            item_cond,
            RegisterMarking.actief.is_(True),
            or_(Match.review.is_(None), Match.review != AFGEWEZEN),
            or_(Match.review == BEVESTIGD, Match.status == "bekend"),
        )
    )
    for item_id, vh_code in rows:
        known.setdefault(item_id, []).append(vh_code)

    items = [
        ItemEvent(item_id, _aware(ts), geb, gem, tuple(known.get(item_id, ())))  # type: ignore[arg-type]
        for item_id, ts, geb, gem in conn.execute(
            select(
                ItemRow.id,
                raw(ItemRow.ingestroomd_op, "ts"),
                ItemRow.geboortedatum,
                ItemRow.gemeente,
            ).where(item_cond)
        )
    ]

    decisions = [
        DecisionEvent(item_id, _aware(ts), gevolgd, motivering or "")  # type: ignore[arg-type]
        for item_id, ts, gevolgd, motivering in conn.execute(
            select(
                Decision.item_id,
                raw(Decision.besloten_op, "ts"),
                Decision.advies_gevolgd,
                Decision.motivering,
            ).where(_in(Decision.besloten_op, period))
        )
    ]

    digest = aliased(OutboxMessage)
    outbox = [
        OutboxEvent(
            soort=r.soort,
            vh_code=r.vh_code,
            state=r.state,
            created_at=_aware(r.created_at) or period.start,
            item_id=r.item_id,
            sent_at=_aware(r.sent_at),
            decided_at=_aware(r.decided_at),
            minderjarig=bool(r.minderjarig),
            digest_state=r.digest_state,
            digest_sent_at=_aware(r.digest_sent_at),
        )
        for r in conn.execute(
            select(
                OutboxMessage.soort,
                OutboxMessage.vh_code,
                OutboxMessage.state,
                raw(OutboxMessage.created_at, "created_at"),
                OutboxMessage.item_id,
                raw(OutboxMessage.sent_at, "sent_at"),
                raw(OutboxMessage.decided_at, "decided_at"),
                OutboxMessage.minderjarig,
                digest.state.label("digest_state"),
                raw(digest.sent_at, "digest_sent_at"),
            )
            .outerjoin(digest, digest.id == OutboxMessage.digest_id)
            .where(
                OutboxMessage.soort.in_((SOORT_TERUGKOPPELING, SOORT_AANMELDING)),
                or_(
                    OutboxMessage.item_id.in_(dec_items),
                    _in(OutboxMessage.decided_at, period),
                    _in(OutboxMessage.created_at, period),
                ),
            )
        )
    ]

    adviesvragen = [
        AdviesvraagEvent(
            vh_code=r.vh_code,
            gesteld_op=r.gesteld_op,
            deadline=r.deadline,
            beantwoord_op=r.beantwoord_op,
            zonder_advies_op=r.zonder_advies_op,
            besloten_op=r.besloten_op,
        )
        for r in conn.execute(
            select(
                Adviesvraag.vh_code,
                Adviesvraag.gesteld_op,
                Adviesvraag.deadline,
                Adviesvraag.beantwoord_op,
                Adviesvraag.zonder_advies_op,
                Decision.besloten_op,
            )
            .outerjoin(Decision, Decision.item_id == Adviesvraag.item_id)
            .where(_in(Adviesvraag.gesteld_op, period))
        )
    ]

    consults = _load_consults(conn, period)

    reviews = [
        ReviewEvent(r.vh_code, r.review, r.reviewed_at)
        for r in conn.execute(
            select(RegisterMarking.vh_code, Match.review, Match.reviewed_at)
            .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            .where(Match.review.in_((BEVESTIGD, AFGEWEZEN)), _in(Match.reviewed_at, period))
        )
    ]

    purges = [
        PurgeEvent(r.at, r.reden, r.aantal)
        for r in conn.execute(
            select(PurgeRecord.at, PurgeRecord.reden, PurgeRecord.aantal).where(
                _in(PurgeRecord.at, period)
            )
        )
    ]

    return MonitorInput(
        period=period,
        vhs=vhs,
        items=items,
        decisions=decisions,
        outbox=outbox,
        adviesvragen=adviesvragen,
        consults=consults,
        reviews=reviews,
        purges=purges,
        zsm_locatie=settings.zsm_locatie,
    )


def _load_consults(conn: Connection, period: Period) -> list[ConsultEvent]:
    """Each consulted marking of an "inzage-vh" line, with its advies_datum.

    The line names the item (internal id) and the VH codes shown; the marking
    is found through the item's hits. When the item was purged or the hit is
    gone, `advies_datum` is None and the consult is skipped in the figures.
    """
    views = select(AuditEntry.item_id).where(
        AuditEntry.action == audit.VIEW_VH, _in(AuditEntry.at, period)
    )
    advies: dict[tuple[int, str], dt.date] = {}
    for item_id, vh_code, datum in conn.execute(
        select(Match.item_id, RegisterMarking.vh_code, RegisterMarking.advies_datum)
        .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
        .where(Match.item_id.in_(views), or_(Match.review.is_(None), Match.review != AFGEWEZEN))
    ):
        key = (item_id, vh_code)
        # Several markings at one VH: the newest advice is the one shown first.
        if key not in advies or datum > advies[key]:
            advies[key] = datum
    out: list[ConsultEvent] = []
    for at, item_id, detail in conn.execute(
        select(AuditEntry.at, AuditEntry.item_id, AuditEntry.detail).where(
            AuditEntry.action == audit.VIEW_VH, _in(AuditEntry.at, period)
        )
    ):
        codes = detail.get("vh_codes") if isinstance(detail, dict) else None
        if not isinstance(codes, list) or not codes or item_id is None:
            out.append(ConsultEvent(at, "", None))
            continue
        for code in codes:
            out.append(ConsultEvent(at, str(code), advies.get((item_id, str(code)))))
    return out


def figures(
    session: Session, van: dt.date, tot: dt.date, *, roles: frozenset[Role] | None = None
) -> Figures:
    """The indicators for [van, tot]; with `roles` the MONITOR role is required."""
    if roles is not None:
        require(roles, Action.MONITOR)
    return compute(load_input(session, Period(van, tot)))


def audit_export(session: Session, account: str, f: Figures, formats: Sequence[str]) -> None:
    audit.append(
        session,
        account,
        audit.EXPORT,
        purpose="monitor",
        detail={
            "soort": "monitor",
            "van": f["periode"]["van"],
            "tot": f["periode"]["tot"],
            "formaten": sorted(formats),
        },
    )


# --- rendering ------------------------------------------------------------------------------


def _safe(value: Any) -> Any:
    """Cells for spreadsheets: text that Excel would run as a formula gets a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _title(f: Figures) -> str:
    p = f["periode"]
    van = dt.date.fromisoformat(p["van"]).strftime("%d-%m-%Y")
    tot = dt.date.fromisoformat(p["tot"]).strftime("%d-%m-%Y")
    return f"Monitor ZSM – veiligheidshuis, {van} t/m {tot}"


def to_csv(f: Figures, tables: Iterable[ReportTable] | None = None) -> bytes:
    """All tables one below the other; `;`-separated, UTF-8 with BOM (Excel)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([_title(f)])
    w.writerow([f"Locatie: {f['zsm_locatie']}", f"Tijdzone: {f['periode']['tijdzone']}"])
    for t in tables if tables is not None else report_tables(f):
        w.writerow([])
        w.writerow([t.titel])
        w.writerow([_safe(c) for c in t.kolommen])
        for row in t.rijen:
            w.writerow([_safe(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(f: Figures) -> bytes:
    """One sheet per indicator group, the group's tables one below the other."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE3EA")
    sheets: dict[str, Any] = {}
    for t in report_tables(f):
        ws = sheets.get(t.groep)
        if ws is None:
            ws = wb.create_sheet(t.groep[:31])
            sheets[t.groep] = ws
            ws.append([_title(f)])
            ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        else:
            ws.append([])
        ws.append([t.titel])
        ws.cell(row=ws.max_row, column=1).font = bold
        ws.append([_safe(c) for c in t.kolommen])
        for col in range(1, len(t.kolommen) + 1):
            c = ws.cell(row=ws.max_row, column=col)
            c.font = bold
            c.fill = head_fill
            c.alignment = Alignment(wrap_text=True, vertical="top")
        for row in t.rijen:
            ws.append([_safe(c) for c in row])
        for col in range(1, ws.max_column + 1):
            letter = get_column_letter(col)
            longest = max(
                (len(str(cell.value)) for cell in ws[letter][1:] if cell.value is not None),
                default=8,
            )
            ws.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(f: Figures, *, account: str = "", now: dt.datetime | None = None) -> bytes:
    """A4 landscape report: the pilot table, bar charts and the other tables."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from zsm_desk.services.printing.render import SANS, SANS_BOLD, _register_fonts

    _register_fonts()
    now = now or SystemClock().now()
    ink, muted, rule = (
        colors.HexColor("#1b2129"),
        colors.HexColor("#5c6670"),
        colors.HexColor("#d3d8de"),
    )
    accent, adult_c, minor_c = (
        colors.HexColor("#1f3a5f"),
        colors.HexColor("#3b6ea5"),
        colors.HexColor("#e39b2d"),
    )
    base = ParagraphStyle("m", fontName=SANS, fontSize=8, leading=10, textColor=ink)
    head = ParagraphStyle("mh", base, fontName=SANS_BOLD, fontSize=7.5, leading=9)
    bold = ParagraphStyle("mb", base, fontName=SANS_BOLD)
    indent = ParagraphStyle("mi", base, leftIndent=10)
    title = ParagraphStyle("mt", base, fontName=SANS_BOLD, fontSize=16, leading=20)
    h2 = ParagraphStyle(
        "m2", base, fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
    )
    sub = ParagraphStyle("ms", base, fontSize=9, textColor=muted)

    page_w = landscape(A4)[0]
    body_w = page_w - 30 * mm

    def table(t: ReportTable) -> Table:
        data: list[list[Any]] = [[Paragraph(escape(str(c)), head) for c in t.kolommen]]
        kinds = [r["soort"] for r in f["instroom"]["tabel"]["rijen"]] if t.key == "instroom" else []
        for i, row in enumerate(t.rijen):
            kind = kinds[i] if i < len(kinds) else ""
            cells = []
            for j, c in enumerate(row):
                st = bold if kind == "kop" else (indent if kind == "vh" and j == 0 else base)
                cells.append(Paragraph(escape("" if c is None else str(c)), st))
            data.append(cells)
        if len(data) == 1:
            data.append(
                [Paragraph("geen gegevens in deze periode", sub)] + [""] * (len(t.kolommen) - 1)
            )
        n = len(t.kolommen)
        first = min(70 * mm, body_w / n * 2.2) if n > 2 else body_w * 0.55
        if t.key == "motiveringen":
            widths = [22 * mm, 45 * mm, 25 * mm, body_w - 92 * mm]
        else:
            rest = (body_w - first) / max(n - 1, 1) if n > 1 else 0
            widths = [first] + [rest] * (n - 1)
        tb = Table(data, colWidths=widths, repeatRows=1)
        style = [
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, accent),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, rule),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
        ]
        tb.setStyle(TableStyle(style))
        return tb

    def month_chart() -> Drawing:
        months = f["per_maand"]
        w = body_w / 2 - 4 * mm
        d = Drawing(w, 62 * mm)
        d.add(String(0, 58 * mm, "Eerder bekend per maand", fontName=SANS_BOLD, fontSize=9))
        ch = VerticalBarChart()
        ch.x, ch.y, ch.width, ch.height = 10 * mm, 10 * mm, w - 40 * mm, 44 * mm
        adults = [m["bekend"]["meerderjarig"] for m in months] or [0]
        minors = [m["bekend"]["minderjarig"] for m in months] or [0]
        ch.data = [adults, minors]
        ch.categoryAxis.style = "stacked"
        ch.categoryAxis.categoryNames = [m["maand"] for m in months] or ["–"]
        ch.categoryAxis.labels.fontName = SANS
        ch.categoryAxis.labels.fontSize = 7
        ch.valueAxis.labels.fontName = SANS
        ch.valueAxis.labels.fontSize = 7
        ch.valueAxis.valueMin = 0
        if max([a + b for a, b in zip(adults, minors, strict=True)] or [0]) == 0:
            ch.valueAxis.valueMax = 1
        ch.bars[0].fillColor = adult_c
        ch.bars[1].fillColor = minor_c
        ch.bars.strokeColor = None
        d.add(ch)
        lg = Legend()
        lg.x, lg.y = w - 26 * mm, 45 * mm
        lg.fontName, lg.fontSize = SANS, 8
        lg.colorNamePairs = [(adult_c, "meerderjarig"), (minor_c, "minderjarig")]
        d.add(lg)
        return d

    def vh_chart() -> Drawing:
        rows = f["per_vh"]
        h = 62 * mm
        w = body_w / 2 - 4 * mm
        d = Drawing(w, h)
        d.add(
            String(
                0,
                h - 4 * mm,
                "Verdeling bekend per veiligheidshuis (aandeel)",
                fontName=SANS_BOLD,
                fontSize=9,
            )
        )
        ch = HorizontalBarChart()
        ch.x, ch.y, ch.width, ch.height = 62 * mm, 10 * mm, w - 72 * mm, h - 20 * mm
        ch.data = [[round(r["aandeel_van_bekend"] * 100, 1) for r in reversed(rows)] or [0]]
        ch.categoryAxis.categoryNames = [short_name(r["naam"])[:30] for r in reversed(rows)] or [
            "–"
        ]
        ch.categoryAxis.labels.fontName = SANS
        ch.categoryAxis.labels.fontSize = 7
        ch.valueAxis.labels.fontName = SANS
        ch.valueAxis.labels.fontSize = 7
        ch.valueAxis.valueMin, ch.valueAxis.valueMax, ch.valueAxis.valueStep = 0, 100, 20
        ch.valueAxis.labelTextFormat = "%d%%"
        ch.bars[0].fillColor = accent
        ch.bars.strokeColor = None
        ch.barLabelFormat = "%.0f%%"
        ch.barLabels.fontName = SANS
        ch.barLabels.fontSize = 7
        ch.barLabels.boxAnchor = "w"
        ch.barLabels.dx = 3
        d.add(ch)
        return d

    story: list[Any] = [
        Paragraph(escape(_title(f)), title),
        Paragraph(
            escape(
                f"{f['zsm_locatie']} · tijdzone {f['periode']['tijdzone']} · "
                f"opgesteld {now.astimezone(TZ):%d-%m-%Y %H:%M}"
                + (f" door {account}" if account else "")
                + " · alleen aantallen, geen persoonsgegevens"
            ),
            sub,
        ),
        Spacer(1, 4 * mm),
    ]
    tables = report_tables(f)
    first = tables[0]
    story += [
        KeepTogether([Paragraph(escape(first.titel), h2), table(first)]),
        Spacer(1, 4 * mm),
        Table([[month_chart(), vh_chart()]], colWidths=[body_w / 2, body_w / 2]),
    ]
    for t in tables[1:]:
        story.append(KeepTogether([Paragraph(escape(t.titel), h2), table(t)]))

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(SANS, 7)
        canvas.setFillColor(muted)
        canvas.drawString(15 * mm, 8 * mm, _title(f))
        canvas.drawRightString(page_w - 15 * mm, 8 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=_title(f),
        author="ZSM Desk",
        invariant=1,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def render(f: Figures, fmt: str, *, account: str = "", now: dt.datetime | None = None) -> bytes:
    if fmt == "csv":
        return to_csv(f)
    if fmt == "xlsx":
        return to_xlsx(f)
    if fmt == "pdf":
        return to_pdf(f, account=account, now=now)
    if fmt == "json":
        import json

        return (json.dumps(f, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise ValueError(f"onbekend formaat {fmt!r}")


def export(
    session: Session,
    van: dt.date,
    tot: dt.date,
    outputs: dict[str, Path],
    *,
    account: str,
    roles: frozenset[Role],
) -> Figures:
    """Compute once, write each requested format (0600, atomic) and audit one line."""
    f = figures(session, van, tot, roles=roles)
    for fmt, path in outputs.items():
        write_private(Path(path), render(f, fmt, account=account))
    audit_export(session, account, f, list(outputs))
    return f
