"""The complaint desk: the centres' management and department heads see the complaints they
review with their clocks, assign, answer or refer them; quality reviewers take the escalated
ones and decide. Every opening of a complaint is logged as a view of personal data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.accounts.models import User
from onestop.core.errors import NotFound, OneStopError
from onestop.feedback.complaints import access, selectors, services
from onestop.feedback.complaints.domain import ComplaintStatus, Outcome
from onestop.feedback.complaints.models import Complaint


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_GET
def desk_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        access.check_may_use_desk(user)
    except OneStopError as problem:
        return render(request, "complaints/desk.html", {"error": problem.detail}, status=403)
    view = request.GET.get("view", "open")
    if view not in selectors.DESK_VIEWS:
        view = "open"
    rows = [(c, selectors.clock_of(c)) for c in selectors.desk(user, view)[:200]]
    return render(
        request,
        "complaints/desk.html",
        {
            "rows": rows,
            "view": view,
            "views": _views(),
            "review_days": settings.COMPLAINT_REVIEW_WORKING_DAYS,
            "error": "",
        },
    )


def _views() -> list[tuple[str, str]]:
    return [
        ("open", _("Waiting for an answer")),
        ("answered", _("Answered")),
        ("done", _("Closed or decided")),
        ("all", _("All")),
    ]


def _allowed(user: User, complaint: Complaint) -> dict[str, bool]:
    """Which forms the page offers; the services and the funnel decide again on submit."""
    handles, reviews = access.may_handle(user, complaint), access.may_review(user)
    registered = complaint.status == ComplaintStatus.REGISTERED
    escalated = complaint.status == ComplaintStatus.ESCALATED
    return {
        "answer": handles and registered,
        "escalate": registered and (handles or reviews),
        "assign": (handles and registered) or (reviews and escalated),
        "resolve": reviews and escalated,
    }


def _page(
    request: HttpRequest, complaint: Complaint, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    allowed = _allowed(user, complaint)
    context: dict[str, Any] = {
        "complaint": complaint,
        "clock": selectors.clock_of(complaint),
        "against": selectors.against_label(complaint),
        "history": list(selectors.history(complaint)),
        "allowed": allowed,
        "assignees": selectors.assignees_for(complaint) if allowed["assign"] else [],
        "outcomes": Outcome.choices,
        "error": error,
    }
    return render(request, "complaints/desk_complaint.html", context, status=status)


def _complaint(request: HttpRequest, number: str) -> Complaint:
    complaint = selectors.complaint_numbered(number)
    access.check_may_view(_user(request), complaint)
    return complaint


@login_required
@require_GET
def complaint_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        complaint = _complaint(request, number)
    except OneStopError as problem:
        return render(
            request, "complaints/desk.html", {"error": problem.detail}, status=problem.status
        )
    services.record_view(complaint, _user(request))
    return _page(request, complaint)


def _act(user: User, complaint: Complaint, action: str, form: Any) -> None:
    if action == "answer":
        access.check_may_handle(user, complaint)
        services.answer_complaint(
            complaint=complaint,
            handler=user,
            outcome=form.get("outcome", ""),
            text=form.get("text", ""),
        )
    elif action == "escalate":
        access.check_may_escalate(user, complaint)
        services.escalate_complaint(complaint=complaint, actor=user, note=form.get("text", ""))
    elif action == "assign":
        assignee = User.objects.filter(pk=form.get("to", "0") or 0, is_active=True).first()
        if assignee is None:
            raise NotFound(_("There is no such member of staff."), code="user_not_found")
        access.check_may_assign(user, complaint, assignee)
        services.assign_complaint(complaint=complaint, actor=user, assignee=assignee)
    elif action == "resolve":
        access.check_may_review(user)
        services.resolve_complaint(
            complaint=complaint,
            reviewer=user,
            outcome=form.get("outcome", ""),
            text=form.get("text", ""),
        )
    else:
        raise NotFound(_("There is no such action."), code="action_not_found")


@login_required
@require_POST
def complaint_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    try:
        complaint = _complaint(request, number)
    except OneStopError as problem:
        return render(
            request, "complaints/desk.html", {"error": problem.detail}, status=problem.status
        )
    try:
        _act(_user(request), complaint, action, request.POST)
    except OneStopError as problem:
        complaint.refresh_from_db()
        return _page(request, complaint, error=problem.detail, status=problem.status)
    return redirect("complaints:desk_complaint", number=complaint.number)
