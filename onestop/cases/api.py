"""Application endpoints: operators register and issue, officers decide, citizens look up."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from onestop.accounts.models import User
from onestop.cases import access, domain, intake, printouts, selectors, services
from onestop.cases.models import Application
from onestop.catalog.models import Department, LifeEventBundle, Service
from onestop.catalog.selectors import service_named
from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import InvalidInput, NotFound, PermissionDenied
from onestop.core.selectors import working_calendar
from onestop.queue.api import AUTH
from onestop.queue.models import Ticket

router = Router()


def _staff(request: HttpRequest) -> User:
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, User):
        raise PermissionDenied(_("Sign in as a member of staff."), code="staff_only")
    return principal


def _case_for(
    request: HttpRequest, number: str, *checks: Callable[[User, Application], None]
) -> tuple[User, Application]:
    """The member of staff and the case they name, through the access funnel: out of their
    scope looks like not there; then each of `checks`."""
    case = selectors.application_numbered(number)
    user = _staff(request)
    access.check_may_view(user, case)
    for check in checks:
        check(user, case)
    return user, case


class ApplicantIn(Schema):
    iin: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    birth_date: date
    identity_confirmed: bool = Field(
        description="The operator compared name and date of birth with the identity document"
    )
    representative_name: str = Field(default="", max_length=200)
    representative_iin: str = Field(default="", max_length=20)
    power_of_attorney: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=254)
    language: Literal["kk", "ru", "en"] = "kk"


class CounterDecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    result_number: str = Field(default="", max_length=60)
    ground: str = Field(default="", max_length=60)
    text: str = Field(default="", max_length=2000)


class ServiceIn(Schema):
    service: str = Field(min_length=1, max_length=40)
    documents: list[str] = Field(default_factory=list, description="Codes of documents presented")
    urgency_working_days: int | None = None
    payment_reference: str = Field(default="", max_length=60)
    decision_at_counter: CounterDecisionIn | None = Field(
        default=None, description="Only where the service's standard allows it"
    )


class ApplicationsIn(Schema):
    centre: str = Field(min_length=1, max_length=20)
    ticket: uuid.UUID | None = None
    applicant: ApplicantIn
    services: list[ServiceIn] = Field(default_factory=list)
    bundle: str | None = Field(
        default=None, description="A life-event bundle: opens each of its services"
    )
    consent: bool = Field(description="Consent to personal-data processing, recorded")


class ApplicationOut(Schema):
    number: str
    service: str
    service_name: str
    department: str
    centre: str
    status: str
    status_name: str
    registered_at: datetime
    deadline_at: datetime
    deadline_date: date
    fee_tenge: Decimal
    urgency_working_days: int | None
    result_number: str
    refusal_ground: str | None
    return_note: str
    decided_at_counter: bool
    recheck_pending: bool
    recheck_outcome: str


def application_out(case: Application) -> ApplicationOut:
    return ApplicationOut(
        number=case.number,
        service=case.service.code,
        service_name=case.service.name,
        department=case.department.code,
        centre=case.centre.code,
        status=case.status,
        status_name=str(case.get_status_display()),
        registered_at=case.registered_at.astimezone(UTC),
        deadline_at=case.deadline_at.astimezone(UTC),
        deadline_date=clock.local_date(case.deadline_at),
        fee_tenge=case.fee_tenge,
        urgency_working_days=case.urgency_working_days,
        result_number=case.result_number,
        refusal_ground=case.refusal_ground.localized("text") if case.refusal_ground else None,
        return_note=case.return_note,
        decided_at_counter=case.decided_at_counter,
        recheck_pending=case.recheck_pending,
        recheck_outcome=case.recheck_outcome,
    )


class VisitOut(Schema):
    visit: uuid.UUID
    applications: list[ApplicationOut]
    receipt_url: str


class MissingDocumentsOut(ErrorOut):
    missing: dict[str, list[str]]


def _intakes(payload: ApplicationsIn) -> list[intake.Intake]:
    """The services asked for, and a bundle's services the operator did not list (with no
    documents presented yet: the checklist will say what is missing)."""
    asked = {s.service.upper(): s for s in payload.services}
    chosen: list[Service] = [service_named(code) for code in asked]
    if payload.bundle:
        bundle = LifeEventBundle.objects.filter(code=payload.bundle).first()
        if bundle is None:
            raise NotFound(_("There is no such life-event bundle."), code="bundle_not_found")
        for item in bundle.items.select_related("service", "service__life_situation"):
            if item.service.code not in asked:
                chosen.append(item.service)
    intakes = []
    for service in chosen:
        given = asked.get(service.code, ServiceIn(service=service.code))
        intakes.append(
            intake.Intake(
                service=service,
                presented=frozenset(given.documents),
                urgency_working_days=given.urgency_working_days,
                payment_reference=given.payment_reference,
                counter_decision=(
                    domain.Decision(**given.decision_at_counter.dict())
                    if given.decision_at_counter
                    else None
                ),
            )
        )
    return intakes


@router.post(
    "/applications",
    auth=AUTH,
    response={
        201: VisitOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: MissingDocumentsOut | ErrorOut,
    },
    summary="Register a visit's applications (operator); repeat with the same Idempotency-Key "
    "to get the first answer",
)
def register(request: HttpRequest, payload: ApplicationsIn) -> Status[VisitOut]:
    operator = _staff(request)
    centre = centres.centre_named(payload.centre)
    access.check_may_register(operator, centre)
    ticket = None
    if payload.ticket is not None:
        ticket = Ticket.objects.filter(pk=payload.ticket, centre=centre).first()
        if ticket is None:
            raise InvalidInput(_("That ticket is not of this centre."), code="ticket_not_here")
    a = payload.applicant
    created = intake.register_applications(
        operator=operator,
        centre=centre,
        applicant=intake.Applicant(
            iin=a.iin,
            name=a.name,
            birth_date=a.birth_date,
            identity_confirmed=a.identity_confirmed,
            representative_name=a.representative_name,
            representative_iin=a.representative_iin,
            power_of_attorney=a.power_of_attorney,
            phone=a.phone,
            email=a.email,
            language=a.language,
        ),
        intakes=_intakes(payload),
        consent=payload.consent,
        ticket=ticket,
        idempotency_key=request.headers.get("Idempotency-Key", "").strip()[:100] or None,
    )
    visit = created[0].visit
    return Status(
        201,
        VisitOut(
            visit=visit,
            applications=[application_out(c) for c in created],
            receipt_url=f"/api/v1/applications/{created[0].number}/receipt.pdf",
        ),
    )


class StatusIn(Schema):
    number: str = Field(min_length=1, max_length=40)
    iin: str = Field(min_length=1, max_length=20)


@router.post(
    "/applications/status",
    response={200: ApplicationOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="A citizen's look-up by application number and IIN (never an IIN in a URL)",
)
def status(request: HttpRequest, payload: StatusIn) -> ApplicationOut:
    access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
    return application_out(selectors.application_for_citizen(payload.number, payload.iin))


@router.get(
    "/applications/{number}",
    auth=AUTH,
    response={200: ApplicationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="An application (staff, within their scope)",
)
def get_application(request: HttpRequest, number: str) -> ApplicationOut:
    viewer, case = _case_for(request, number)
    services.record_view(case, viewer)
    return application_out(case)


@router.get(
    "/applications/{number}/receipt.pdf",
    auth=AUTH,
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The visit's receipt as a PDF in the citizen's language (staff, within scope)",
)
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    viewer, case = _case_for(request, number)
    services.record_view(case, viewer)
    status_url = request.build_absolute_uri(reverse("cases:status"))
    pdf = printouts.receipt_pdf(selectors.receipt_of(case, status_url))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}.pdf"'
    return response


class DecisionIn(Schema):
    decision: Literal["approve", "refuse", "return"]
    result_number: str = Field(default="", max_length=60)
    ground: str = Field(default="", max_length=60, description="A refusal ground's code")
    text: str = Field(default="", max_length=2000)


CASE_RESPONSES: dict[int, Any] = {
    200: ApplicationOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post(
    "/applications/{number}/decision",
    auth=AUTH,
    response=CASE_RESPONSES,
    summary="The back office decides: approve, refuse or return for documents",
)
def decision(request: HttpRequest, number: str, payload: DecisionIn) -> ApplicationOut:
    officer, case = _case_for(request, number, access.check_may_decide)
    services.decide(
        case=case,
        officer=officer,
        decision=payload.decision,
        result_number=payload.result_number,
        ground=payload.ground,
        text=payload.text,
    )
    return application_out(case)


class IssueIn(Schema):
    iin: str = Field(min_length=1, max_length=20, description="Of the applicant or representative")


@router.post(
    "/applications/{number}/issue",
    auth=AUTH,
    response=CASE_RESPONSES,
    summary="Hand the result over at the window",
)
def issue(request: HttpRequest, number: str, payload: IssueIn) -> ApplicationOut:
    operator, case = _case_for(request, number, access.check_may_serve)
    services.issue_result(case=case, operator=operator, iin=payload.iin)
    return application_out(case)


@router.post(
    "/applications/{number}/resubmit",
    auth=AUTH,
    response=CASE_RESPONSES,
    summary="The citizen brought the documents asked for (operator)",
)
def resubmit(request: HttpRequest, number: str) -> ApplicationOut:
    operator, case = _case_for(request, number, access.check_may_serve)
    services.resubmit(case=case, operator=operator)
    return application_out(case)


class ReassignIn(Schema):
    officer: str = Field(min_length=1, max_length=150, description="Username")
    reason: str = Field(min_length=1, max_length=300)


@router.post(
    "/applications/{number}/reassign",
    auth=AUTH,
    response=CASE_RESPONSES,
    summary="A department head gives the case to another officer, with a reason",
)
def reassign(request: HttpRequest, number: str, payload: ReassignIn) -> ApplicationOut:
    head, case = _case_for(request, number, access.check_may_reassign)
    officer = User.objects.filter(username=payload.officer, is_active=True).first()
    if officer is None:
        raise InvalidInput(
            _("That person is not an officer of this back office."), code="not_an_officer"
        )
    services.reassign(case=case, head=head, officer=officer, reason=payload.reason)
    return application_out(case)


class ForwardIn(Schema):
    department: str = Field(min_length=1, max_length=20)
    reason: str = Field(min_length=1, max_length=300)


@router.post(
    "/applications/{number}/forward",
    auth=AUTH,
    response=CASE_RESPONSES,
    summary="Forward to another department's back office (the officer holding it)",
)
def forward(request: HttpRequest, number: str, payload: ForwardIn) -> ApplicationOut:
    officer, case = _case_for(request, number, access.check_may_decide)
    department = Department.objects.filter(code=payload.department.upper()).first()
    if department is None:
        raise NotFound(_("There is no such department."), code="department_not_found")
    services.forward(case=case, officer=officer, department=department, reason=payload.reason)
    return application_out(case)


class QueueItemOut(ApplicationOut):
    clock: Literal["on_time", "due_soon", "overdue"]


@router.get(
    "/backoffice/queue",
    auth=AUTH,
    response={200: list[QueueItemOut], 401: ErrorOut, 403: ErrorOut},
    summary="The officer's own work queue, nearest deadline first",
)
def backoffice_queue(request: HttpRequest) -> list[QueueItemOut]:
    officer = _staff(request)
    calendar, now = working_calendar(), clock.now()
    return [
        QueueItemOut(
            **application_out(case).dict(),
            clock=domain.clock_state(calendar, case.deadline_at, now),  # type: ignore[arg-type]
        )
        for case in selectors.work_queue(officer)
    ]


@router.get(
    "/backoffice/rechecks",
    auth=AUTH,
    response={200: list[ApplicationOut], 401: ErrorOut, 403: ErrorOut},
    summary="Counter decisions sampled for the officer's re-check",
)
def backoffice_rechecks(request: HttpRequest) -> list[ApplicationOut]:
    return [application_out(case) for case in selectors.rechecks(_staff(request))]


class RecheckIn(Schema):
    outcome: Literal["confirm", "reverse"]
    reason: str = Field(default="", max_length=500)


@router.post(
    "/applications/{number}/recheck",
    auth=AUTH,
    response=CASE_RESPONSES,
    summary="Confirm or reverse a counter decision sampled for re-check",
)
def recheck(request: HttpRequest, number: str, payload: RecheckIn) -> ApplicationOut:
    officer, case = _case_for(request, number, access.check_may_decide)
    services.recheck(case=case, officer=officer, outcome=payload.outcome, reason=payload.reason)
    return application_out(case)
