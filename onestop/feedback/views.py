"""The citizen's rating page for a served visit, reached from the phone's ticket page or the
link in the SMS sent when the visit ended. The ticket's unguessable id is the key."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.core.errors import NotFound, OneStopError
from onestop.feedback import access, selectors, services
from onestop.feedback.domain import Criterion
from onestop.feedback.models import FollowUp, Rating
from onestop.queue import selectors as queue


@require_http_methods(["GET", "POST"])
def rate_page(request: HttpRequest, ticket_id: uuid.UUID) -> HttpResponse:
    try:
        ticket = queue.ticket_by_id(str(ticket_id))
    except OneStopError as problem:
        return render(request, "feedback/rate.html", {"error": problem.detail}, status=404)
    context: dict[str, object] = {
        "ticket": ticket,
        "criteria": Criterion.choices,
        "scale": range(1, 6),
        "chosen": {},
        "done": Rating.objects.filter(ticket=ticket).exists(),
        "error": "",
    }
    status = 200
    if request.method == "POST" and not context["done"]:
        raw = {name: request.POST.get(name, "") for name in Criterion.values}
        context["chosen"] = raw
        scores = {name: int(value) if value.isdigit() else 0 for name, value in raw.items()}
        try:
            services.rate_visit(
                ticket=ticket,
                scores=scores,
                comment=request.POST.get("comment", "")[:2000],
                # The citizen's own pages link here with ?from=portal; the SMS link does not.
                channel="portal" if request.GET.get("from") == "portal" else "phone",
            )
            context["done"] = True
        except OneStopError as problem:
            context["error"], status = problem.detail, problem.status
    return render(request, "feedback/rate.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_page(request: HttpRequest, centre: str) -> HttpResponse:
    """The centre manager's list of low ratings to follow up, each with its clock."""
    user = request.user
    assert isinstance(user, User)
    try:
        place = centres.centre_named(centre)
        access.check_may_follow_up(user, place)
    except OneStopError as problem:
        return render(request, "feedback/follow_ups.html", {"error": problem.detail}, status=403)
    error, status = "", 200
    if request.method == "POST":
        raw = request.POST.get("follow_up", "")
        found = (
            FollowUp.objects.filter(pk=int(raw), centre=place).first() if raw.isdigit() else None
        )
        try:
            if found is None:
                raise NotFound(_("There is no such follow-up."), code="follow_up_not_found")
            services.answer_follow_up(
                follow_up=found, manager=user, answer=request.POST.get("answer", "")
            )
            return redirect("feedback:follow_ups", centre=place.code)
        except OneStopError as problem:
            error, status = problem.detail, problem.status
    now = clock.now()
    context = {
        "centre": place,
        "open": list(selectors.follow_ups(place, answered=False)),
        "answered": list(selectors.follow_ups(place, answered=True)[:20]),
        "now": now,
        "criteria": Criterion.choices,
        "error": error,
    }
    return render(request, "feedback/follow_ups.html", context, status=status)
