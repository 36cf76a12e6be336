"""The complaint's receipt: proof for the citizen that it was registered, with its number, what
it is about, and the date by which the answer is due. Printed in the citizen's language on the
applications' sheet (A4, the shipped fonts with the Kazakh letters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _

from onestop.cases.printouts import _Sheet as Sheet
from onestop.cases.printouts import format_date, format_moment


@dataclass(frozen=True)
class ComplaintReceipt:
    number: str
    language: str
    registered_at: datetime
    name: str
    iin_masked: str
    category: str  # in the citizen's language
    against: str  # the centre, department or application, in the citizen's language
    description: str
    due: date  # the provider's answer is due by the end of this day (Almaty)
    working_days: int  # the provider's term
    status_url: str


def receipt_pdf(receipt: ComplaintReceipt) -> bytes:
    with translation.override(receipt.language):
        title = _("Complaint registered")
        pdf = Sheet(
            language=receipt.language,
            title=f"{title} {receipt.number}",
            footer=f"{title} {receipt.number}",
        )
        pdf.paragraph("OneStop", size=10)
        pdf.paragraph(title, size=17, bold=True, h=9)
        pdf.paragraph(_("Complaint number"), size=9, h=4.5)
        pdf.paragraph(receipt.number, size=15, bold=True, h=8)
        pdf.ln(1)
        pdf.pair(_("Registered"), format_moment(receipt.registered_at))
        pdf.pair(_("Citizen"), receipt.name)
        pdf.pair(_("IIN"), receipt.iin_masked)
        pdf.pair(_("About"), receipt.category)
        pdf.pair(_("Against"), receipt.against)
        pdf.rule()
        pdf.heading(_("What happened?"))
        pdf.paragraph(receipt.description)
        pdf.rule()
        pdf.paragraph(
            _(
                "The answer is due by %(date)s: %(days)s working days from registration "
                "(Law “On Public Services”, art. 25)."
            )
            % {"date": format_date(receipt.due), "days": receipt.working_days},
            bold=True,
        )
        pdf.ln(2)
        pdf.paragraph(
            _("Follow it with the complaint number and your IIN at %(url)s")
            % {"url": receipt.status_url}
        )
        return bytes(pdf.output())
