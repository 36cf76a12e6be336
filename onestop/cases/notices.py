"""What the citizen is told about their application, in their language, by SMS and/or
e-mail (whichever they left), logged by the notification context. Runs after the change
has committed: a message is never sent for a change that rolled back."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.cases.models import Application
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.notify import services as notify


def _status_link() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/applications/status/"


def _send(case: Application, subject: str, text: str) -> None:
    if case.phone:
        # A number the gateway refuses: the e-mail, if any, still goes.
        with contextlib.suppress(InvalidInput):
            notify.send_sms(to=case.phone, text=text)
    if case.email:
        notify.send_email(to=case.email, subject=subject, text=text)


def _tell(case_id: int, subject: str | Promise, text: str | Promise) -> None:
    """One message about a case, in the citizen's language; `text` may use any of the
    case's fields below."""
    case = Application.objects.select_related("centre", "service").get(pk=case_id)
    with translation.override(case.language):
        fields = {
            "number": case.number,
            "service": case.service.name,
            "centre": case.centre.name,
            "note": case.return_note,
            "date": date_format(clock.local_date(case.deadline_at), "SHORT_DATE_FORMAT"),
            "link": _status_link(),
        }
        _send(case, str(subject), str(text) % fields)


def registered(*, case_id: int) -> None:
    _tell(
        case_id,
        _("OneStop: your application is registered"),
        _(
            "OneStop: application %(number)s (%(service)s) is registered. Decision due by "
            "%(date)s. Status: %(link)s"
        ),
    )


def result_ready(*, case_id: int) -> None:
    _tell(
        case_id,
        _("OneStop: your result is ready"),
        _(
            "OneStop: the result of application %(number)s (%(service)s) is ready. Collect it "
            "at %(centre)s with your identity document; at the kiosk choose “Collect a "
            "result”. Status: %(link)s"
        ),
    )


def returned(*, case_id: int) -> None:
    _tell(
        case_id,
        _("OneStop: more documents are needed"),
        _(
            "OneStop: application %(number)s needs more documents: %(note)s. Bring them to "
            "%(centre)s; the deadline is paused until you do. Status: %(link)s"
        ),
    )


def deadline_missed(*, case_id: int) -> None:
    _tell(
        case_id,
        _("OneStop: the deadline of your application has passed"),
        _(
            "OneStop: the deadline of application %(number)s (%(date)s) has passed without a "
            "decision. You have the right to complain; the status page offers a prefilled "
            "complaint: %(link)s"
        ),
    )


def decision_reversed(*, case_id: int) -> None:
    _tell(
        case_id,
        _("OneStop: the decision on your application was reviewed"),
        _(
            "OneStop: on review, the decision on application %(number)s (%(service)s) made at "
            "the counter was reversed. Please contact %(centre)s. Status: %(link)s"
        ),
    )
