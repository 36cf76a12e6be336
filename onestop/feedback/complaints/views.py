"""The citizen's complaint pages: the form (prefilled from a missed deadline), the look-up by
number and IIN (a POST: an IIN never goes into a URL), the complaint with its clock, answer
and the citizen's response, and the receipt.

A browser sees a complaint once it proved it: it registered it, looked it up with the IIN, or
is identified (one-time SMS code) as the citizen who made it. The numbers it proved are kept
in its session, nothing else."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onestop.callcentre import access as callcentre
from onestop.cases import access as case_access
from onestop.catalog.models import Department
from onestop.centres import selectors as centres
from onestop.core.errors import OneStopError
from onestop.core.i18n import current_language
from onestop.feedback.api_complaints import receipt_response, subject_of
from onestop.feedback.complaints import selectors, services
from onestop.feedback.complaints.domain import Against, Category, Channel, ComplaintStatus
from onestop.feedback.complaints.models import Complaint
from onestop.portal.session import identified_iin

SEEN_KEY = "complaints_seen"
FIELDS = ("category", "against", "centre", "department", "application", "description")
CITIZEN_FIELDS = ("name", "iin", "phone", "email")


def _remember(request: HttpRequest, number: str) -> None:
    seen = [n for n in request.session.get(SEEN_KEY, []) if n != number]
    request.session[SEEN_KEY] = [number, *seen][:20]


def _proven(request: HttpRequest, complaint: Complaint) -> bool:
    return complaint.number in request.session.get(SEEN_KEY, []) or (
        identified_iin(request) == complaint.iin
    )


def _form_context(values: dict[str, str], identified: str | None) -> dict[str, Any]:
    return {
        "values": values,
        "identified": identified,
        "categories": Category.choices,
        "targets": Against.choices,
        "centres": list(centres.active_centres()),
        "departments": list(Department.objects.order_by("code")),
        "review_days": settings.COMPLAINT_REVIEW_WORKING_DAYS,
    }


def _prefill(request: HttpRequest) -> dict[str, str]:
    values = {name: request.GET.get(name, "").strip()[:200] for name in FIELDS}
    if values["application"]:
        values["against"] = Against.APPLICATION
        if values["category"] == Category.MISSED_DEADLINE:
            values["description"] = _(
                "The deadline of application %(number)s passed without a decision."
            ) % {"number": values["application"]}
    values["against"] = values["against"] or Against.CENTRE
    return values


@require_http_methods(["GET", "POST"])
def new_complaint(request: HttpRequest) -> HttpResponse:
    identified = identified_iin(request)
    if request.method != "POST":
        return render(request, "complaints/new.html", _form_context(_prefill(request), identified))
    values = {name: request.POST.get(name, "").strip()[:4000] for name in FIELDS}
    values.update({name: request.POST.get(name, "").strip()[:200] for name in CITIZEN_FIELDS})
    iin = identified or values["iin"]
    # A call-centre agent takes the complaint down for a caller: on record as theirs.
    agent = callcentre.agent_or_none(request.user)
    try:
        if agent is None:
            case_access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
        complaint = services.register_complaint(
            category=values["category"],
            subject=subject_of(
                values["against"],
                centre=values["centre"] if values["against"] != Against.APPLICATION else None,
                department=values["department"]
                if values["against"] == Against.DEPARTMENT
                else None,
                application=values["application"] or None,
            ),
            description=values["description"],
            citizen=services.Citizen(
                iin=iin,
                name=values["name"],
                phone=values["phone"],
                email=values["email"],
                language=current_language(),
                identified=identified is not None,
            ),
            channel=Channel.CALL_CENTRE if agent else Channel.PORTAL,
            consent=request.POST.get("consent") == "yes",
            registered_by=agent,
        )
    except OneStopError as problem:
        context = {**_form_context(values, identified), "error": problem.detail}
        return render(request, "complaints/new.html", context, status=problem.status)
    _remember(request, complaint.number)
    messages.success(
        request, _("Your complaint is registered as %(number)s.") % {"number": complaint.number}
    )
    return redirect("complaints:detail", number=complaint.number)


@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest) -> HttpResponse:
    identified = identified_iin(request)
    context: dict[str, Any] = {
        "number": request.GET.get("number", "").strip()[:40],
        "error": "",
        "mine": list(selectors.complaints_of(identified)[:50]) if identified else [],
    }
    if request.method != "POST":
        return render(request, "complaints/status.html", context)
    number = request.POST.get("number", "").strip()[:40]
    iin = request.POST.get("iin", "").strip()[:20]
    context["number"] = number
    try:
        case_access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
        complaint = selectors.complaint_for_citizen(number, iin)
    except OneStopError as problem:
        context["error"] = problem.detail
        return render(request, "complaints/status.html", context, status=problem.status)
    _remember(request, complaint.number)
    return redirect("complaints:detail", number=complaint.number)


def _ask_for_iin(number: str) -> HttpResponse:
    return redirect(f"{reverse('complaints:status')}?{urlencode({'number': number[:40]})}")


def _shown(request: HttpRequest, number: str) -> Complaint | None:
    try:
        complaint = selectors.complaint_numbered(number)
    except OneStopError:
        return None
    return complaint if _proven(request, complaint) else None


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _shown(request, number)
    if complaint is None:  # not proven here (or no such number): ask for the IIN
        return _ask_for_iin(number)
    error, status = "", 200
    if request.method == "POST":
        response = request.POST.get("response", "")
        try:
            services.respond_to_answer(
                complaint=complaint,
                accept=response == "accept",
                reason=request.POST.get("reason", "") if response == "dispute" else "",
            )
            return redirect("complaints:detail", number=complaint.number)
        except OneStopError as problem:
            error, status = problem.detail, problem.status
    context = {
        "complaint": complaint,
        "clock": selectors.clock_of(complaint),
        "against": selectors.against_label(complaint),
        "may_respond": complaint.status == ComplaintStatus.ANSWERED,
        "error": error,
    }
    return render(request, "complaints/detail.html", context, status=status)


def receipt(request: HttpRequest, number: str) -> HttpResponse:
    complaint = _shown(request, number)
    if complaint is None:
        return _ask_for_iin(number)
    return receipt_response(request, complaint)
