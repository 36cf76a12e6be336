"""Reads of applications: one case, an officer's work queue, a citizen's status look-up."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.accounts.models import User
from onestop.cases import domain
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application, DocumentState
from onestop.cases.printouts import Receipt, ReceiptLine
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import Conflict, NotFound
from onestop.core.iin import mask_iin


def _cases() -> QuerySet[Application]:
    return Application.objects.select_related(
        "centre",
        "centre__region",
        "service",
        "department",
        "assigned_to",
        "refusal_ground",
        "operator",
    )


def application_numbered(number: str) -> Application:
    case = _cases().filter(number=number.strip().upper()).first()
    if case is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    return case


def application_for_citizen(number: str, iin: str) -> Application:
    """By number and IIN together: a wrong number and a wrong IIN look the same."""
    case = (
        _cases()
        .filter(number=number.strip().upper(), applicant_iin=iin.strip())
        .prefetch_related("documents__document")
        .first()
    )
    if case is None:
        raise NotFound(
            _("No application matches this number and IIN."), code="application_not_found"
        )
    return case


def result_to_collect(number: str, iin: str, centre_id: int) -> Application:
    """The citizen's result waiting at this centre (for the kiosk's "Collect a result")."""
    case = application_for_citizen(number, iin)
    if case.status != CaseStatus.RESULT_AT_CENTRE or case.centre_id != centre_id:
        raise Conflict(
            _("This result is not waiting at this centre: check the status page or the SMS."),
            code="result_not_here",
        )
    return case


def results_waiting(centre: Centre, *, applicant_iin: str) -> QuerySet[Application]:
    """Results waiting at this centre for this applicant, oldest first."""
    return (
        _cases()
        .filter(centre=centre, applicant_iin=applicant_iin, status=CaseStatus.RESULT_AT_CENTRE)
        .order_by("result_ready_at")
    )


def work_queue(officer: User) -> QuerySet[Application]:
    """The officer's open cases, the nearest deadline first."""
    return (
        _cases()
        .filter(assigned_to=officer, status__in=domain.OPEN_IN_BACK_OFFICE)
        .order_by("deadline_at", "number")
    )


def rechecks(officer: User) -> QuerySet[Application]:
    """Counter decisions sampled for this officer's re-check, oldest first."""
    # Decided in the same minute: by number, not in whatever order the database returns.
    found = _cases().filter(assigned_to=officer, recheck_pending=True)
    return found.order_by("decided_at", "number")


def visit_applications(case: Application) -> QuerySet[Application]:
    """The applications opened in the same visit (one receipt lists them all)."""
    return _cases().filter(visit=case.visit).order_by("number")


def receipt_of(case: Application, status_url: str) -> Receipt:
    """The receipt of the visit the case was registered in: every service of that visit."""
    cases = list(visit_applications(case).prefetch_related("documents__document"))
    with translation.override(case.language):
        accepted: list[str] = []
        obtained: list[str] = []
        for each in cases:
            for doc in each.documents.all():
                name = doc.document.name
                target = obtained if doc.state == DocumentState.OBTAINED else accepted
                if doc.state != DocumentState.MISSING and name not in target:
                    target.append(name)
        representative = ""
        if case.representative_name:
            representative = _("%(name)s, power of attorney No. %(number)s") % {
                "name": case.representative_name,
                "number": case.power_of_attorney,
            }
        return Receipt(
            number=case.number,
            language=case.language,
            centre_name=case.centre.name,
            registered_at=case.registered_at,
            applicant_name=case.applicant_name,
            applicant_iin_masked=mask_iin(case.applicant_iin),
            representative=representative,
            lines=[
                ReceiptLine(
                    service_code=each.service.code,
                    service_name=each.service.name,
                    deadline=clock.local_date(each.deadline_at),
                    fee_tenge=each.fee_tenge,
                    urgency=(
                        _("urgent: %(days)s working days") % {"days": each.urgency_working_days}
                        if each.urgency_working_days
                        else ""
                    ),
                )
                for each in cases
            ],
            documents_accepted=accepted,
            documents_from_registries=obtained,
            fee_paid_tenge=sum((each.fee_tenge for each in cases if each.paid_at), Decimal(0)),
            status_url=status_url,
            operator_name=case.operator.get_full_name() if case.operator else "",
        )


def applications_of_citizen(iin: str) -> QuerySet[Application]:
    """The identified citizen's applications, as applicant or as representative, newest first."""
    if not iin:
        return Application.objects.none()
    mine = _cases().filter(applicant_iin=iin) | _cases().filter(representative_iin=iin)
    return mine.order_by("-registered_at", "-number")


def application_of_citizen(number: str, iin: str) -> Application:
    """One of the identified citizen's applications by its number; someone else's is as
    absent as a number that does not exist."""
    case = applications_of_citizen(iin).filter(number=number.strip().upper()).first()
    if case is None:
        raise NotFound(_("There is no such application."), code="application_not_found")
    return case
