"""The citizen's rating page for a served visit, reached from the phone's ticket page or the
link in the SMS sent when the visit ended. The ticket's unguessable id is the key."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from onestop.core.errors import OneStopError
from onestop.feedback import services
from onestop.feedback.domain import Criterion
from onestop.feedback.models import Rating
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
                channel="phone",
            )
            context["done"] = True
        except OneStopError as problem:
            context["error"], status = problem.detail, problem.status
    return render(request, "feedback/rate.html", context, status=status)
