"""A report as a file: CSV (stable column keys, for machines), XLSX (translated headings,
number formats, a frozen header and a native bar chart), and a centre's monthly PDF in the
reader's language (the shipped DejaVu fonts of the printouts carry the Kazakh letters)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from fpdf import FontFace
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from onestop.cases.printouts import FAMILY, LINE, _Sheet, format_date
from onestop.feedback.domain import Criterion
from onestop.monitoring.reports import COLUMNS, CentreMonth, Column, Figures, Report

XLSX_FORMATS = {"int": "0", "minutes": "0.0", "percent": "0.0%", "score": "0.00"}


def filename(report: Report, extension: str) -> str:
    where = "country"
    if report.scope.centre is not None:
        where = report.scope.centre.code
    elif report.scope.region is not None:
        where = report.scope.region.code
    return (
        f"onestop-report-{where}-{report.dimension}-{report.kind}-"
        f"{report.start.isoformat()}-{report.end.isoformat()}.{extension}"
    )


def report_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark (so that a spreadsheet reads the Cyrillic right)."""
    keys = [column.key for column in report.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["period", "period_start", "code", "name", *keys])
    for row in report.rows:
        values = [row.value(key) for key in keys]
        writer.writerow(
            [row.period, row.period_start.isoformat(), row.code, row.name]
            + ["" if v is None else v for v in values]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _heading(column: Column) -> str:
    text = str(column.label)
    return f"{text}, %" if column.kind == "percent" else text


def report_xlsx(report: Report) -> bytes:
    """A workbook in the active language: the rows, then a sheet of the key column's totals
    per member of the dimension with a bar chart of them."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Report")[:31]
    dimension = {"centre": _("Centre"), "service": _("Service"), "department": _("Department")}[
        report.dimension
    ]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8E8E8")
    headings = [_("Period"), _("Code"), dimension, *(_heading(c) for c in report.columns)]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = "A2"
    for row in report.rows:
        sheet.append([row.period, row.code, row.name, *(row.value(c.key) for c in report.columns)])
    for index, column in enumerate(report.columns, start=4):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = XLSX_FORMATS[column.kind]
    widths = [12, 12, 40, *(16 for _c in report.columns)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    key = report.key_column
    summary = book.create_sheet(_("Chart")[:31])
    summary.append([_("Code"), dimension, str(key.label)])
    for cell in summary[1]:
        cell.font, cell.fill = bold, fill
    summary.freeze_panes = "A2"
    members: dict[str, tuple[str, Figures]] = {}
    for row in report.rows:
        members.setdefault(row.code, (row.name, Figures()))[1].add(row.figures)
    for code, (name, figures) in sorted(members.items()):
        summary.append([code, name, figures.value(key.key)])
    summary.column_dimensions["B"].width = 40
    summary.column_dimensions["C"].width = 16
    chart = BarChart()
    chart.type = "bar"
    chart.title = str(key.label)
    chart.y_axis.title = str(key.label)
    chart.legend = None
    count = len(members)
    data = Reference(summary, min_col=3, min_row=1, max_row=count + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=2, max_row=count + 1))
    chart.height = max(7.5, 0.6 * count + 3)
    chart.width = 18
    summary.add_chart(chart, "E2")

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def format_value(value: int | float | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    return str(value)


def monthly_pdf(month: CentreMonth, *, language: str) -> bytes:
    """The centre's month as PDF bytes in `language`: its figures, the tickets served per day
    as a bar chart, and what citizens said (ratings and complaints)."""
    with translation.override(language):
        centre_name = month.centre.name
        period = dateformat.format(month.first, "F Y")
        title = _("Monthly report of the centre")
        pdf = _Sheet(
            language=language,
            title=f"{title}: {month.centre.code} {period}",
            footer=f"{month.centre.code} · {period}",
        )
        pdf.set_author("OneStop")
        pdf.paragraph(f"{month.centre.code} — {centre_name}", size=11)
        pdf.paragraph(title, size=17, bold=True, h=9)
        pdf.paragraph(f"{period} ({format_date(month.first)} – {format_date(month.last)})", size=12)
        pdf.rule()

        pdf.heading(_("The month's figures"))
        _table(
            pdf, [(str(c.label), format_value(month.totals.value(c.key), c.kind)) for c in COLUMNS]
        )

        pdf.heading(_("Tickets served per day"))
        _bars(pdf, month.served_by_day)

        pdf.heading(_("Satisfaction and complaints"))
        criteria = [
            (str(Criterion(name).label), format_value(value, "score"))
            for name, value in month.criteria.items()
        ]
        on_time = (
            month.complaints_answered_on_time / month.complaints_answered
            if month.complaints_answered
            else None
        )
        _table(
            pdf,
            [
                (_("Ratings"), str(month.totals.ratings)),
                (_("Satisfaction (1–5)"), format_value(month.totals.avg_score, "score")),
                *criteria,
                (_("Ratings with a score of 2 or below"), str(month.low_ratings)),
                (_("Complaints"), str(month.totals.complaints)),
                (_("Complaints answered"), str(month.complaints_answered)),
                (_("Answered on time"), format_value(on_time, "percent")),
            ],
        )
        return bytes(pdf.output())


def _table(pdf: _Sheet, rows: list[tuple[str, str]]) -> None:
    with pdf.table(
        col_widths=(70, 30),
        text_align=("LEFT", "RIGHT"),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(family=FAMILY, emphasis="BOLD", fill_color=235),
        first_row_as_headings=False,
        line_height=LINE,
        padding=0.6,
    ) as table:
        for label, value in rows:
            table.row([label, value])


def _bars(pdf: _Sheet, days: list[tuple[date, int]]) -> None:
    """Vertical bars drawn with rectangles: one per day, its number above, the day below."""
    height = 36.0
    if pdf.will_page_break(height + 14):
        pdf.add_page()
    left, top = pdf.l_margin, pdf.get_y() + 4
    width = pdf.w - pdf.l_margin - pdf.r_margin
    slot = width / max(len(days), 1)
    peak = max((served for _day, served in days), default=0) or 1
    base = top + height
    pdf.set_draw_color(120)
    pdf.line(left, base, left + width, base)
    pdf.set_fill_color(60, 110, 170)
    pdf.set_font(FAMILY, "", 6)
    for index, (_day, served) in enumerate(days):
        x = left + index * slot
        bar = height * served / peak
        if served:
            pdf.rect(x + slot * 0.15, base - bar, slot * 0.7, bar, style="F")
            pdf.set_xy(x, base - bar - 3.5)
            pdf.cell(slot, 3.5, str(served), align="C")
        pdf.set_xy(x, base + 0.5)
        pdf.cell(slot, 3.5, str(index + 1), align="C")
    pdf.set_draw_color(0)
    pdf.set_fill_color(255)
    pdf.set_font(FAMILY, "", 10.5)
    pdf.set_xy(pdf.l_margin, base + 6)
