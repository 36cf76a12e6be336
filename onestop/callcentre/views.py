"""The call-centre desk: look up a caller's application, book a visit for them, register their
complaint. Thin: `access` decides who may, `services` do and audit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from onestop.accounts.models import User
from onestop.callcentre import access, services
from onestop.core.errors import OneStopError


def _agent(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    return render(
        request, "callcentre/refused.html", {"error": problem.detail}, status=problem.status
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    try:
        access.check_may_take_calls(agent)
    except OneStopError as problem:
        return _refused(request, problem)
    context: dict[str, Any] = {"number": "", "case": None, "error": ""}
    status = 200
    if request.method == "POST":
        context["number"] = request.POST.get("number", "").strip()[:40]
        try:
            context["case"] = services.look_up_application(
                agent=agent, number=context["number"], iin=request.POST.get("iin", "")
            )
        except OneStopError as problem:
            context["error"], status = problem.detail, problem.status
    return render(request, "callcentre/desk.html", context, status=status)
