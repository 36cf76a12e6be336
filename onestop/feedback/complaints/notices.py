"""What the citizen is told about their complaint, in their language, by SMS and/or e-mail
(whichever they left). Runs after the change has committed."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.feedback.complaints.models import Complaint
from onestop.notify import services as notify


def status_link() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/complaints/status/"


def _tell(complaint_id: int, subject: str | Promise, text: str | Promise) -> None:
    complaint = Complaint.objects.get(pk=complaint_id)
    with translation.override(complaint.language):
        fields = {
            "number": complaint.number,
            "date": date_format(clock.local_date(complaint.clock_due_at), "SHORT_DATE_FORMAT"),
            "link": status_link(),
        }
        body = str(text) % fields
        if complaint.phone:
            with contextlib.suppress(InvalidInput):  # a number the gateway refuses
                notify.send_sms(to=complaint.phone, text=body)
        if complaint.email:
            notify.send_email(to=complaint.email, subject=str(subject), text=body)


def registered(*, complaint_id: int) -> None:
    _tell(
        complaint_id,
        _("OneStop: your complaint is registered"),
        _(
            "OneStop: complaint %(number)s is registered. The answer is due by %(date)s. "
            "Follow it with the number and your IIN: %(link)s"
        ),
    )


def answered(*, complaint_id: int) -> None:
    _tell(
        complaint_id,
        _("OneStop: your complaint has been answered"),
        _(
            "OneStop: complaint %(number)s has been answered. Read the answer, accept it or "
            "dispute it: %(link)s"
        ),
    )


def escalated(*, complaint_id: int) -> None:
    _tell(
        complaint_id,
        _("OneStop: your complaint went to a quality reviewer"),
        _(
            "OneStop: complaint %(number)s went to a quality reviewer, who decides by "
            "%(date)s. %(link)s"
        ),
    )


def resolved(*, complaint_id: int) -> None:
    _tell(
        complaint_id,
        _("OneStop: the quality reviewer decided on your complaint"),
        _("OneStop: the quality reviewer decided on complaint %(number)s. Read it: %(link)s"),
    )
