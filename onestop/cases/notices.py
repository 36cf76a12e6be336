"""What the citizen is told about their application, in their language, by SMS and/or
e-mail (whichever they left), logged by the notification context. Runs after the change
has committed: a message is never sent for a change that rolled back."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


def _case(case_id: int) -> Application:
    return Application.objects.select_related("centre", "service").get(pk=case_id)


def registered(*, case_id: int) -> None:
    case = _case(case_id)
    with translation.override(case.language):
        subject = _("OneStop: your application is registered")
        text = _(
            "OneStop: application %(number)s (%(service)s) is registered. Decision due by "
            "%(date)s. Status: %(link)s"
        ) % {
            "number": case.number,
            "service": case.service.name,
            "date": date_format(clock.local_date(case.deadline_at), "SHORT_DATE_FORMAT"),
            "link": _status_link(),
        }
        _send(case, subject, text)


def result_ready(*, case_id: int) -> None:
    case = _case(case_id)
    with translation.override(case.language):
        subject = _("OneStop: your result is ready")
        text = _(
            "OneStop: the result of application %(number)s (%(service)s) is ready. Collect it "
            "at %(centre)s with your identity document; at the kiosk choose “Collect a "
            "result”. Status: %(link)s"
        ) % {
            "number": case.number,
            "service": case.service.name,
            "centre": case.centre.name,
            "link": _status_link(),
        }
        _send(case, subject, text)


def returned(*, case_id: int) -> None:
    case = _case(case_id)
    with translation.override(case.language):
        subject = _("OneStop: more documents are needed")
        text = _(
            "OneStop: application %(number)s needs more documents: %(note)s. Bring them to "
            "%(centre)s; the deadline is paused until you do. Status: %(link)s"
        ) % {
            "number": case.number,
            "note": case.return_note,
            "centre": case.centre.name,
            "link": _status_link(),
        }
        _send(case, subject, text)


def deadline_missed(*, case_id: int) -> None:
    case = _case(case_id)
    with translation.override(case.language):
        subject = _("OneStop: the deadline of your application has passed")
        text = _(
            "OneStop: the deadline of application %(number)s (%(date)s) has passed without a "
            "decision. You have the right to complain; the status page offers a prefilled "
            "complaint: %(link)s"
        ) % {
            "number": case.number,
            "date": date_format(clock.local_date(case.deadline_at), "SHORT_DATE_FORMAT"),
            "link": _status_link(),
        }
        _send(case, subject, text)


def decision_reversed(*, case_id: int) -> None:
    case = _case(case_id)
    with translation.override(case.language):
        subject = _("OneStop: the decision on your application was reviewed")
        text = _(
            "OneStop: on review, the decision on application %(number)s (%(service)s) made at "
            "the counter was reversed. Please contact %(centre)s. Status: %(link)s"
        ) % {
            "number": case.number,
            "service": case.service.name,
            "centre": case.centre.name,
            "link": _status_link(),
        }
        _send(case, subject, text)
