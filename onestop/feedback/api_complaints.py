"""Complaints over the API: registration and look-up for citizens and partners, and the staff
endpoints to assign, answer and escalate. An IIN travels only in a POST body."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from onestop.accounts import selectors as accounts
from onestop.accounts.models import User
from onestop.cases import access as case_access
from onestop.cases import selectors as cases
from onestop.catalog.models import Department
from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import NotAuthenticated, NotFound, PermissionDenied
from onestop.feedback.complaints import access, printouts, selectors, services
from onestop.feedback.complaints.domain import Against, Category, ComplaintStatus
from onestop.feedback.complaints.models import Complaint
from onestop.queue.api import AUTH

router = Router()

CategoryCode = Literal[
    "unjustified_refusal",
    "missed_deadline",
    "incomplete_service",
    "extra_documents",
    "staff_behaviour",
    "other",
]
OutcomeCode = Literal["upheld", "partly_upheld", "rejected"]


class CitizenIn(Schema):
    iin: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field(default="", max_length=30)
    email: str = Field(default="", max_length=254)
    language: Literal["kk", "ru", "en"] = "kk"


class ComplaintIn(Schema):
    category: CategoryCode
    against: Literal["centre", "department", "application"]
    centre: str | None = Field(default=None, max_length=20, description="Centre code")
    department: str | None = Field(
        default=None, max_length=20, description="Department code (with `against: department`)"
    )
    application: str | None = Field(
        default=None, max_length=40, description="Application number (with `against: application`)"
    )
    description: str = Field(min_length=1, max_length=4000)
    citizen: CitizenIn
    consent: bool = Field(description="Consent to personal-data processing, recorded")


class ComplaintOut(Schema):
    """What the citizen sees of their complaint, with the clock that runs now."""

    number: str
    status: str
    status_name: str
    category: str
    category_name: str
    against: str
    against_name: str
    centre: str | None
    department: str | None
    application: str | None
    registered_at: datetime
    due_at: datetime = Field(description="The provider's answer is due by then")
    due_date: date
    clock: Literal["on_time", "due_soon", "overdue", "stopped"]
    clock_due_at: datetime = Field(
        description="The clock that runs now (the reviewer's once escalated)"
    )
    working_days_left: int
    outcome: str
    answer: str
    answered_at: datetime | None
    escalation_reason: str
    escalated_at: datetime | None
    review_due_at: datetime | None
    resolution_outcome: str
    resolution: str
    resolved_at: datetime | None


class DeskItemOut(ComplaintOut):
    """A complaint as the desk lists it and as an action answers: no personal data (that
    comes only with a look at the one complaint, which is logged)."""

    channel: str
    reviewed_by: str
    assigned_to: str | None


class StaffComplaintOut(DeskItemOut):
    description: str
    name: str
    iin: str
    phone: str
    email: str
    dispute_reason: str
    escalation_note: str


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def complaint_out(complaint: Complaint) -> dict[str, Any]:
    running = selectors.clock_of(complaint)
    return {
        "number": complaint.number,
        "status": complaint.status,
        "status_name": str(ComplaintStatus(complaint.status).label),
        "category": complaint.category,
        "category_name": str(Category(complaint.category).label),
        "against": complaint.against,
        "against_name": selectors.against_label(complaint),
        "centre": complaint.centre.code if complaint.centre else None,
        "department": complaint.department.code if complaint.department else None,
        "application": complaint.application.number if complaint.application else None,
        "registered_at": _utc(complaint.registered_at),
        "due_at": _utc(complaint.due_at),
        "due_date": clock.local_date(complaint.due_at),
        "clock": running.state,
        "clock_due_at": _utc(running.due_at),
        "working_days_left": running.working_days_left,
        "outcome": complaint.outcome,
        "answer": complaint.answer,
        "answered_at": _utc(complaint.answered_at),
        "escalation_reason": complaint.escalation_reason,
        "escalated_at": _utc(complaint.escalated_at),
        "review_due_at": _utc(complaint.review_due_at),
        "resolution_outcome": complaint.resolution_outcome,
        "resolution": complaint.resolution,
        "resolved_at": _utc(complaint.resolved_at),
    }


def _desk_fields(complaint: Complaint) -> dict[str, Any]:
    return {
        **complaint_out(complaint),
        "channel": complaint.channel,
        "reviewed_by": complaint.reviewed_by,
        "assigned_to": complaint.assigned_to.username if complaint.assigned_to else None,
    }


def desk_item_out(complaint: Complaint) -> DeskItemOut:
    return DeskItemOut(**_desk_fields(complaint))


def staff_complaint_out(complaint: Complaint) -> StaffComplaintOut:
    return StaffComplaintOut(
        **_desk_fields(complaint),
        description=complaint.description,
        name=complaint.name,
        iin=complaint.iin,
        phone=complaint.phone,
        email=complaint.email,
        dispute_reason=complaint.dispute_reason,
        escalation_note=complaint.escalation_note,
    )


def _bearer_staff(request: HttpRequest) -> User | None:
    """A member of staff registering for a citizen sends their token; citizens send none."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, token = header.partition(" ")
    user = accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise NotAuthenticated(
            _("Sign in: send a valid token as 'Authorization: Bearer …'."), code="unauthorized"
        )
    return user


def subject_of(
    against: str, *, centre: str | None, department: str | None, application: str | None
) -> services.Subject:
    """The centre, department or application named by code or number (a wrong application
    number looks like a wrong IIN: checked together by the service)."""
    where = centres.centre_named(centre) if centre else None
    held_by = None
    if department:
        held_by = Department.objects.filter(code=department.strip().upper()).first()
        if held_by is None:
            raise NotFound(_("There is no such department."), code="department_not_found")
    case = None
    if against == Against.APPLICATION and application:
        try:
            case = cases.application_numbered(application)
        except NotFound:
            raise NotFound(
                _("No application matches this number and IIN."), code="application_not_found"
            ) from None
    return services.Subject(against=against, centre=where, department=held_by, application=case)


PUBLIC_RESPONSES: dict[int, Any] = {
    200: ComplaintOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


@router.post(
    "/complaints",
    response={201: ComplaintOut, 401: ErrorOut, 403: ErrorOut, **PUBLIC_RESPONSES},
    summary="Register a complaint (a citizen, or staff with a token for a caller); repeat with "
    "the same Idempotency-Key to get the first answer",
)
def register(request: HttpRequest, payload: ComplaintIn) -> Status[ComplaintOut]:
    staff = _bearer_staff(request)
    if staff is not None:
        access.check_may_register_for_citizen(staff)
    else:
        case_access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
    c = payload.citizen
    complaint = services.register_complaint(
        category=payload.category,
        subject=subject_of(
            payload.against,
            centre=payload.centre,
            department=payload.department,
            application=payload.application,
        ),
        description=payload.description,
        citizen=services.Citizen(
            iin=c.iin, name=c.name, phone=c.phone, email=c.email, language=c.language
        ),
        channel="callcentre" if staff is not None else "api",
        consent=payload.consent,
        registered_by=staff,
        idempotency_key=request.headers.get("Idempotency-Key", "").strip()[:100] or None,
    )
    return Status(201, ComplaintOut(**complaint_out(complaint)))


class LookupIn(Schema):
    number: str = Field(min_length=1, max_length=40)
    iin: str = Field(min_length=1, max_length=20)


def _citizens(request: HttpRequest, payload: LookupIn) -> Complaint:
    case_access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
    return selectors.complaint_for_citizen(payload.number, payload.iin)


@router.post(
    "/complaints/lookup",
    response=PUBLIC_RESPONSES,
    summary="A citizen's look-up by complaint number and IIN (never an IIN in a URL)",
)
def lookup(request: HttpRequest, payload: LookupIn) -> ComplaintOut:
    return ComplaintOut(**complaint_out(_citizens(request, payload)))


class RespondIn(LookupIn):
    response: Literal["accept", "dispute"]
    reason: str = Field(default="", max_length=4000, description="Why, when disputing")


@router.post(
    "/complaints/respond",
    response=PUBLIC_RESPONSES,
    summary="The citizen accepts the provider's answer, or disputes it (to a quality reviewer)",
)
def respond(request: HttpRequest, payload: RespondIn) -> ComplaintOut:
    complaint = _citizens(request, payload)
    services.respond_to_answer(
        complaint=complaint, accept=payload.response == "accept", reason=payload.reason
    )
    return ComplaintOut(**complaint_out(complaint))


@router.post(
    "/complaints/receipt",
    response={200: None, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="The complaint's receipt as a PDF in the citizen's language (number and IIN)",
)
def receipt(request: HttpRequest, payload: LookupIn) -> HttpResponse:
    complaint = _citizens(request, payload)
    return receipt_response(request, complaint)


def receipt_response(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    status_url = request.build_absolute_uri(reverse("complaints:status"))
    pdf = printouts.receipt_pdf(selectors.receipt_of(complaint, status_url))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{complaint.number}.pdf"'
    return response


# --- Staff -----------------------------------------------------------------------------


def _staff(request: HttpRequest) -> User:
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, User):
        raise PermissionDenied(_("Sign in as a member of staff."), code="staff_only")
    return principal


def _complaint_for(request: HttpRequest, number: str) -> tuple[User, Complaint]:
    """The member of staff and the complaint they name; out of their scope looks like not
    there."""
    user = _staff(request)
    complaint = selectors.complaint_numbered(number)
    access.check_may_view(user, complaint)
    return user, complaint


STAFF_RESPONSES: dict[int, Any] = {
    200: DeskItemOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class DeskQuery(Schema):
    view: Literal["open", "answered", "done", "all"] = "open"


@router.get(
    "/complaints",
    auth=AUTH,
    response={200: list[DeskItemOut], 401: ErrorOut, 403: ErrorOut},
    summary="The complaint desk: open complaints by their clock (or answered, done, all)",
)
def desk(request: HttpRequest, query: Query[DeskQuery]) -> list[DeskItemOut]:
    user = _staff(request)
    access.check_may_use_desk(user)
    return [desk_item_out(c) for c in selectors.desk(user, query.view)[:500]]


@router.get(
    "/complaints/{number}",
    auth=AUTH,
    response={**STAFF_RESPONSES, 200: StaffComplaintOut},
    summary="A complaint (staff within scope; the view is logged for the citizen)",
)
def get_complaint(request: HttpRequest, number: str) -> StaffComplaintOut:
    viewer, complaint = _complaint_for(request, number)
    services.record_view(complaint, viewer)
    return staff_complaint_out(complaint)


class AssignIn(Schema):
    to: str = Field(min_length=1, max_length=150, description="Username")


@router.post(
    "/complaints/{number}/assign",
    auth=AUTH,
    response=STAFF_RESPONSES,
    summary="Give the complaint to one of the provider's management (or, once escalated, to "
    "a quality reviewer)",
)
def assign(request: HttpRequest, number: str, payload: AssignIn) -> DeskItemOut:
    user, complaint = _complaint_for(request, number)
    assignee = User.objects.filter(username=payload.to, is_active=True).first()
    if assignee is None:
        raise NotFound(_("There is no such member of staff."), code="user_not_found")
    access.check_may_assign(user, complaint, assignee)
    services.assign_complaint(complaint=complaint, actor=user, assignee=assignee)
    return desk_item_out(complaint)


class AnswerIn(Schema):
    outcome: OutcomeCode
    text: str = Field(min_length=1, max_length=4000)


@router.post(
    "/complaints/{number}/answer",
    auth=AUTH,
    response=STAFF_RESPONSES,
    summary="The provider's answer (the centre's management or the department head); the "
    "citizen is told",
)
def answer(request: HttpRequest, number: str, payload: AnswerIn) -> DeskItemOut:
    user, complaint = _complaint_for(request, number)
    access.check_may_handle(user, complaint)
    services.answer_complaint(
        complaint=complaint, handler=user, outcome=payload.outcome, text=payload.text
    )
    return desk_item_out(complaint)


class EscalateIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)


@router.post(
    "/complaints/{number}/escalate",
    auth=AUTH,
    response=STAFF_RESPONSES,
    summary="Refer the complaint to a quality reviewer, with a reason",
)
def escalate(request: HttpRequest, number: str, payload: EscalateIn) -> DeskItemOut:
    user, complaint = _complaint_for(request, number)
    access.check_may_escalate(user, complaint)
    services.escalate_complaint(complaint=complaint, actor=user, note=payload.reason)
    return desk_item_out(complaint)


@router.post(
    "/complaints/{number}/resolve",
    auth=AUTH,
    response=STAFF_RESPONSES,
    summary="The quality reviewer's decision on an escalated complaint",
)
def resolve(request: HttpRequest, number: str, payload: AnswerIn) -> DeskItemOut:
    user, complaint = _complaint_for(request, number)
    access.check_may_review(user)
    services.resolve_complaint(
        complaint=complaint, reviewer=user, outcome=payload.outcome, text=payload.text
    )
    return desk_item_out(complaint)
