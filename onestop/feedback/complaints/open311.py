"""Complaints through Open311 GeoReport v2 (JSON), so that existing civic clients work: the
categories are its services, a complaint is a service request, its number the request's id.

A single jurisdiction (`jurisdiction_id` is accepted and ignored). Requests are posted
form-encoded as the specification says, the citizen's IIN and the complaint's target in
`attribute[…]` fields described by each service's definition; `address_id` may name the
centre. What GET answers is public, so it carries no personal data: not the citizen, not
their text, not the answer; the state, the dates and the statutory clock (`expected_datetime`)
are there."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from onestop.cases import access as case_access
from onestop.catalog.models import Department
from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotFound, OneStopError
from onestop.feedback.api_complaints import subject_of
from onestop.feedback.complaints import domain, selectors, services
from onestop.feedback.complaints.domain import Against, Category, ComplaintStatus, Reviewer
from onestop.feedback.complaints.models import Complaint

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_SPAN = timedelta(days=90)
GROUP = "complaints"


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, description: str) -> JsonResponse:
    """GeoReport's error body: a list of {code, description}, the code being the HTTP status."""
    return _json([{"code": status, "description": description}], status=status)


def _w3c(moment: datetime | None) -> str | None:
    """W3C date-time with the Almaty offset, to the second: 2026-12-02T10:00:00+05:00."""
    if moment is None:
        return None
    return moment.astimezone(clock.ALMATY).replace(microsecond=0).isoformat()


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/open311/v2").rstrip("/")
    return _json(
        {
            "changeset": "2026-12-01T00:00:00+05:00",
            "contact": settings.PUBLIC_BASE_URL,
            "key_service": "",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": "2026-12-01T00:00:00+05:00",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.value,
        "service_name": str(category.label),
        "description": _(
            "A complaint about a public service centre, a department or an application. "
            "The provider answers within %(days)s working days."
        )
        % {"days": settings.COMPLAINT_REVIEW_WORKING_DAYS},
        "metadata": True,
        "type": "realtime",
        "keywords": _("complaint, grievance, public services"),
        "group": GROUP,
    }


@require_GET
def service_list(request: HttpRequest) -> JsonResponse:
    return _json([_service(category) for category in Category])


def _attribute(
    order: int,
    code: str,
    datatype: str,
    description: str,
    *,
    required: bool,
    values: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": None,
        "order": order,
        "description": description,
        "values": [{"key": key, "name": name} for key, name in values or []],
    }


@require_GET
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    if code not in Category.values:
        return _error(404, _("There is no such service code."))
    centre_values = [(c.code, c.name) for c in centres.active_centres()]
    department_values = [(d.code, d.name) for d in Department.objects.order_by("code")]
    attributes = [
        _attribute(1, "iin", "string", _("Your IIN (12 digits)"), required=True),
        _attribute(
            2,
            "against",
            "singlevaluelist",
            _("What the complaint is against"),
            required=True,
            values=[(a.value, str(a.label)) for a in Against],
        ),
        _attribute(
            3,
            "centre",
            "singlevaluelist",
            _("The centre (or send its code as address_id)"),
            required=False,
            values=centre_values,
        ),
        _attribute(
            4,
            "department",
            "singlevaluelist",
            _("The department, for a complaint against a department"),
            required=False,
            values=department_values,
        ),
        _attribute(
            5,
            "application",
            "string",
            _("The application number, for a complaint about an application"),
            required=False,
        ),
        _attribute(
            6,
            "language",
            "singlevaluelist",
            _("The language of the answer"),
            required=False,
            values=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        ),
        _attribute(
            7,
            "consent",
            "singlevaluelist",
            _("Consent to the processing of personal data"),
            required=True,
            values=[("yes", _("I consent"))],
        ),
    ]
    return _json({"service_code": code, "attributes": attributes})


def _request(complaint: Complaint) -> dict[str, Any]:
    running = selectors.clock_of(complaint)
    status = ComplaintStatus(complaint.status)
    notes = str(status.label)
    if status in domain.OPEN:
        notes = _("%(status)s; answer due by %(date)s") % {
            "status": notes,
            "date": date_format(clock.local_date(running.due_at), "SHORT_DATE_FORMAT"),
        }
    responsible = (
        complaint.department
        if complaint.reviewed_by == Reviewer.DEPARTMENT and complaint.department
        else complaint.centre
    )
    return {
        "service_request_id": complaint.number,
        "status": domain.open311_status(status),
        "status_notes": notes,
        "service_name": str(Category(complaint.category).label),
        "service_code": complaint.category,
        "description": None,  # the citizen's own words are personal data: never public
        "agency_responsible": responsible.name if responsible is not None else None,
        "service_notice": None,
        "requested_datetime": _w3c(complaint.registered_at),
        "updated_datetime": _w3c(complaint.updated_at),
        "expected_datetime": _w3c(running.due_at),
        "address": complaint.centre.address if complaint.centre else None,
        "address_id": complaint.centre.code if complaint.centre else None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _moment(raw: str, name: str) -> datetime | None:
    if not raw.strip():
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(
            _("%(name)s must be a W3C date-time, e.g. 2026-12-01T00:00:00Z."), name=name
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(_("%(name)s needs a time zone (Z or +05:00)."), name=name)
    return moment


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _requests(request: HttpRequest) -> JsonResponse:
    params = request.GET
    numbers = _list(params.get("service_request_id", ""))
    if numbers:
        return _json([_request(c) for c in selectors.public_requests(numbers=numbers[:1000])])
    wanted = set(_list(params.get("status", "")))
    if wanted - {"open", "closed"}:
        raise InvalidInput(_("status is open, closed, or both."))
    start = _moment(params.get("start_date", ""), "start_date")
    end = _moment(params.get("end_date", ""), "end_date")
    if start is None and end is None:
        end = clock.now()
    if start is None:
        assert end is not None
        start = end - MAX_SPAN
    elif end is None:
        end = start + MAX_SPAN
    if end < start or end - start > MAX_SPAN:
        raise InvalidInput(_("The date range may not span more than 90 days."))
    found = selectors.public_requests(
        categories=_list(params.get("service_code", "")) or None,
        statuses=domain.statuses_for_open311(wanted) if wanted else None,
        start=start,
        end=end,
    )
    return _json([_request(c) for c in found])


def _attr(request: HttpRequest, code: str) -> str:
    return str(request.POST.get(f"attribute[{code}]", "")).strip()


def _post(request: HttpRequest) -> JsonResponse:
    case_access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
    data = request.POST
    category = data.get("service_code", "").strip()
    if not category:
        raise InvalidInput(_("service_code is required."))
    if category not in Category.values:
        raise NotFound(_("There is no such service code."))
    against = _attr(request, "against") or (
        Against.APPLICATION if _attr(request, "application") else Against.CENTRE
    )
    if against not in Against.values:
        raise InvalidInput(_("attribute[against] is centre, department or application."))
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    complaint = services.register_complaint(
        category=category,
        subject=subject_of(
            against,
            centre=_attr(request, "centre") or data.get("address_id", "").strip() or None,
            department=_attr(request, "department") or None,
            application=_attr(request, "application") or None,
        ),
        description=data.get("description", ""),
        citizen=services.Citizen(
            iin=_attr(request, "iin"),
            name=name.strip(),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            language=_attr(request, "language") or "kk",
        ),
        channel="open311",
        consent=_attr(request, "consent").lower() in {"yes", "true", "1"},
        idempotency_key=request.headers.get("Idempotency-Key", "").strip()[:100] or None,
    )
    notice = _("Registered. The answer is due by %(date)s.") % {
        "date": date_format(clock.local_date(complaint.due_at), "SHORT_DATE_FORMAT")
    }
    return _json(
        [
            {
                "service_request_id": complaint.number,
                "service_notice": notice,
                "account_id": None,
            }
        ]
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> JsonResponse:
    try:
        return _post(request) if request.method == "POST" else _requests(request)
    except OneStopError as problem:
        status = problem.status if problem.status in (404, 429) else 400
        return _error(status, problem.detail)


@require_GET
def request_detail(request: HttpRequest, number: str) -> JsonResponse:
    found = selectors.public_requests(numbers=[number])
    if not found:
        return _error(404, _("There is no such service request."))
    return _json([_request(found[0])])
