"""The paper an operator hands over: the receipt of an application and the missing-documents list.

The receipt is what the citizen takes home as proof: which services were applied for, what was
accepted, what the centre fetched from state registries itself, what was paid, when each result is
due, and how to follow the application (a QR code to the public status page, the URL in print for
those without a phone camera). When the set of documents is incomplete the application is not
registered; the citizen takes home instead the list of what is missing and the grounds from the
service standard, so that the second visit succeeds.

Both are printed in the citizen's language (kk, ru or en). The PDF must embed a font that has the
Kazakh letters (ә ғ қ ң ө ұ ү һ і); servers and CI machines may have no system fonts at all, so the
app ships DejaVu Sans (fonts/, with its licence) and never looks the font up on the machine.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import segno
from django.utils import dateformat, timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

__all__ = ["MissingDocuments", "Receipt", "ReceiptLine", "missing_documents_pdf", "receipt_pdf"]


FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
ALMATY = ZoneInfo("Asia/Almaty")
# Day first and numeric in every language: Django's English SHORT_DATE_FORMAT is m/d/Y, which a
# reader in Kazakhstan would take for d/m/Y.
DATE_FORMAT = "d.m.Y"
BODY = 10.5  # pt
LINE = 5.5  # mm, one line of body text
QR_BLOCK = 58  # mm, width of the QR column at the top right of the receipt
QR_SIDE = 34  # mm


@dataclass(frozen=True)
class ReceiptLine:
    service_code: str
    service_name: str  # already in the citizen's language
    deadline: date  # the legal deadline of this application (Almaty date)
    fee_tenge: Decimal  # 0 when free
    urgency: str  # urgency tier label in the citizen's language, "" when standard


@dataclass(frozen=True)
class Receipt:
    number: str  # application number, e.g. "AST-01-20261130-0007"
    language: str  # "kk" | "ru" | "en"
    centre_name: str  # in the citizen's language
    registered_at: datetime  # aware; printed in Asia/Almaty local time
    applicant_name: str
    applicant_iin_masked: str  # e.g. "90011•••••44" – never print a full IIN
    representative: str  # "" or "Name, power of attorney No. …"
    lines: list[ReceiptLine]  # one per service (several services in one visit)
    documents_accepted: list[str]  # names in the citizen's language
    documents_from_registries: list[str]  # obtained by the centre by IIN, names in the language
    fee_paid_tenge: Decimal
    status_url: str  # absolute URL of the public status page (goes into the QR code)
    operator_name: str  # "" allowed


@dataclass(frozen=True)
class MissingDocuments:
    language: str
    centre_name: str
    service_name: str
    printed_at: datetime  # aware
    missing: list[str]  # document names in the language
    grounds: list[str]  # refusal grounds from the service standard, in the language


def format_date(value: date) -> str:
    """A date as printed on the documents: 05.12.2026 in every language."""
    return dateformat.format(value, DATE_FORMAT)


def format_moment(value: datetime) -> str:
    """An aware moment in Almaty local time: 30.11.2026 14:05."""
    return dateformat.format(timezone.localtime(value, ALMATY), f"{DATE_FORMAT} H:i")


def format_tenge(amount: Decimal) -> str:
    """Tenge with the active language's grouping (2 241 ₸, 2,241 ₸); tiyn only if there are any."""
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text}\xa0₸"


class _Sheet(FPDF):
    """A4 portrait with the shipped fonts and a footer naming the document on every page."""

    def __init__(self, *, language: str, title: str, footer: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(left=18, top=15, right=18)
        self.set_auto_page_break(True, margin=20)
        self.set_lang(language)
        self.set_title(title)
        self.set_creator("OneStop")
        self.footer_text = footer
        # Translated now: footer() also runs from output(), and must not depend on when that is.
        # Translators: page footer of a printed receipt; "pages" is the total number of pages.
        self.page_text = _("Page %(page)s of %(pages)s")
        self.add_page()
        self.set_font(FAMILY, "", BODY)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90)
        page = self.page_text % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, page, align="R")
        self.set_text_color(0)

    def paragraph(
        self, text: str, *, size: float = BODY, bold: bool = False, h: float = LINE
    ) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, h, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", BODY)

    def pair(self, label: str, value: str) -> None:
        """`Label: value` on one flowing line, the label in bold; wraps within the margins."""
        self.set_x(self.l_margin)
        self.set_font(FAMILY, "B", BODY)
        self.write(LINE, f"{label}: ")
        self.set_font(FAMILY, "", BODY)
        self.write(LINE, value)
        self.ln(LINE)

    def heading(self, text: str) -> None:
        if self.will_page_break(7 + 2 * LINE):  # never a heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.paragraph(text, size=12, bold=True, h=7)

    def numbered(self, items: list[str]) -> None:
        if not items:
            self.paragraph("—")
        indent = 8
        width = self.w - self.l_margin - self.r_margin - indent
        for number, item in enumerate(items, start=1):
            # An item goes whole to the next page rather than split across two, if it can.
            height = cast(float, self.multi_cell(width, LINE, item, dry_run=True, output="HEIGHT"))
            if self.will_page_break(min(height, self.eph / 2)):
                self.add_page()
            self.set_x(self.l_margin)
            self.cell(indent, LINE, f"{number}.")
            self.multi_cell(0, LINE, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)

    def rule(self) -> None:
        self.ln(2)
        self.set_draw_color(160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0)
        self.ln(2)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return buffer


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt of a registered application, as PDF bytes in the citizen's language."""
    with translation.override(receipt.language):
        title = _("Receipt of application")
        pdf = _Sheet(
            language=receipt.language,
            title=f"{title} {receipt.number}",
            footer=f"{title} {receipt.number}",
        )
        pdf.set_author(receipt.centre_name)
        top = pdf.get_y()

        # Right column: the QR code to the status page and how else to get there.
        qr_x = pdf.w - pdf.r_margin - QR_BLOCK
        pdf.image(
            _qr_png(receipt.status_url),
            x=qr_x + (QR_BLOCK - QR_SIDE) / 2,
            y=top,
            w=QR_SIDE,
            h=QR_SIDE,
            alt_text=receipt.status_url,
        )
        pdf.set_xy(qr_x, top + QR_SIDE + 1)
        pdf.set_font(FAMILY, "", 8.5)
        # Translators: printed under the QR code of a receipt; url is the public status page.
        status = _(
            "Check the status: scan the code or enter the application number "
            "and your IIN at %(url)s"
        ) % {"url": receipt.status_url}
        pdf.multi_cell(QR_BLOCK, 4, status, align="C")
        qr_bottom = pdf.get_y()

        # Left column: who, what, when.
        pdf.set_xy(pdf.l_margin, top)
        right_margin = pdf.r_margin
        pdf.set_right_margin(right_margin + QR_BLOCK + 4)
        pdf.paragraph(receipt.centre_name, size=10)
        pdf.ln(1)
        pdf.paragraph(title, size=17, bold=True, h=9)
        pdf.paragraph(_("Application number"), size=9, h=4.5)
        pdf.paragraph(receipt.number, size=15, bold=True, h=8)
        pdf.ln(1)
        pdf.pair(_("Date of registration"), format_moment(receipt.registered_at))
        pdf.pair(_("Applicant"), receipt.applicant_name)
        pdf.pair(_("IIN"), receipt.applicant_iin_masked)
        if receipt.representative:
            pdf.pair(_("Representative"), receipt.representative)
        pdf.set_right_margin(right_margin)
        pdf.set_y(max(pdf.get_y(), qr_bottom))
        pdf.rule()

        pdf.heading(_("Services"))
        with pdf.table(
            col_widths=(62, 17, 21),
            text_align=("LEFT", "CENTER", "RIGHT"),
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(family=FAMILY, emphasis="BOLD", fill_color=235),
            line_height=LINE,
            padding=1.5,
            v_align="TOP",
        ) as table:
            table.row([_("Service"), _("Deadline"), _("Fee")])
            urgency = _("Urgency")  # not inside an f-string, where xgettext would not see it
            for line in receipt.lines:
                name = f"{line.service_name}\n{line.service_code}"
                if line.urgency:
                    name += f" · {urgency}: {line.urgency}"
                fee = format_tenge(line.fee_tenge) if line.fee_tenge else _("free of charge")
                table.row([name, format_date(line.deadline), fee])
        pdf.ln(2)
        pdf.pair(_("Fee paid"), format_tenge(receipt.fee_paid_tenge))

        pdf.heading(_("Documents accepted"))
        pdf.numbered(receipt.documents_accepted)
        if receipt.documents_from_registries:
            pdf.heading(_("Obtained by the centre from state registries"))
            pdf.numbered(receipt.documents_from_registries)

        if pdf.will_page_break(3 * LINE + 8):
            pdf.add_page()
        pdf.ln(6)
        pdf.pair(_("Operator"), receipt.operator_name or "_" * 30)
        pdf.ln(4)
        pdf.pair(_("Signature"), "_" * 30)
        return bytes(pdf.output())


def missing_documents_pdf(sheet: MissingDocuments) -> bytes:
    """The list of missing documents given instead of a receipt, as PDF bytes."""
    with translation.override(sheet.language):
        title = _("The application could not be accepted")
        missing = _("Documents missing")
        pdf = _Sheet(
            language=sheet.language,
            title=f"{missing}: {sheet.service_name}",
            footer=f"{sheet.centre_name} · {format_moment(sheet.printed_at)}",
        )
        pdf.set_author(sheet.centre_name)
        pdf.paragraph(sheet.centre_name, size=10)
        pdf.ln(1)
        pdf.paragraph(title, size=17, bold=True, h=9)
        pdf.ln(1)
        pdf.pair(_("Service"), sheet.service_name)
        pdf.pair(_("Date"), format_moment(sheet.printed_at))
        pdf.rule()

        pdf.heading(missing)
        pdf.numbered(sheet.missing)
        pdf.heading(_("Grounds"))
        pdf.numbered(sheet.grounds)

        pdf.ln(4)
        pdf.paragraph(
            _("You may apply again with the full set of documents; no fee was taken."), bold=True
        )
        return bytes(pdf.output())
