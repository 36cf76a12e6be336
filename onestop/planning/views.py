"""The staffing planner's pages: the list of centres to plan, a centre's day (forecast,
recommendation, the manager's edited or saved plan) and the reference centre. Thin: the
forecast and scenario come from `forecast`/`centre_scenario`, the content from `planner`,
writes from `services`, every permission from `access`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import InvalidInput, OneStopError
from onestop.planning import access, domain, planner, selectors, services
from onestop.planning.centre_scenario import centre_scenario
from onestop.planning.forecast import Forecast, forecast_day, holdout_error
from onestop.planning.forecast_words import forecast_note
from onestop.planning.models import StaffingPlan
from onestop.planning.reference import reference_scenario
from onestop.planning.scenario import Group, Targets

TEMPLATE = "planning/plan.html"


def _refused(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    return render(
        request, "planning/refused.html", {"error": problem.detail}, status=problem.status
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The centres the user may plan; a manager of one centre goes straight to it."""
    try:
        access.check_may_use_planner(request.user)
    except OneStopError as problem:
        return _refused(request, problem)
    found = access.centres_in_scope(request.user)
    planned = [c for c in found if access.may_plan(request.user, c)]
    if len(found) == 1 and planned:
        return redirect("planning:centre", code=found[0].code)
    return render(request, "planning/index.html", {"centres": found})


def _submitted(
    request: HttpRequest, day: planner.Day
) -> tuple[domain.PlanEdit | None, list[domain.Problem]]:
    return domain.parse_edit(
        {name: str(value) for name, value in request.POST.items()},
        starts=day.starts,
        base_arrivals=day.forecast,
        window_count=day.window_count,
        max_arrivals=day.max_arrivals,
    )


def _content(
    request: HttpRequest,
    day: planner.Day,
    *,
    targets: Targets,
    saved: StaffingPlan | None = None,
) -> tuple[dict[str, Any], int]:
    """The page's content for a GET (the saved plan, if any, beside the recommendation) or
    a re-simulating POST (the edited plan beside it); invalid boxes: 422 and the messages."""
    edit: domain.PlanEdit | None = None
    problems: list[domain.Problem] = []
    label = ""
    if request.method == "POST":
        edit, problems = _submitted(request, day)
        label = _("Your plan")
    elif saved is not None:
        hours = saved.hour_plans()
        if domain.plan_problems(
            hours, starts=day.starts, window_count=day.window_count, max_arrivals=day.max_arrivals
        ):
            messages.warning(
                request, _("The saved plan no longer fits this day's hours or windows.")
            )
        else:
            edit = domain.PlanEdit(hours=hours, targets=targets)
            when = date_format(clock.local_date(saved.saved_at), "SHORT_DATE_FORMAT")
            who = (
                saved.saved_by.get_full_name() or saved.saved_by.username if saved.saved_by else ""
            )
            label = _("Saved plan (%(who)s, %(when)s)") % {"who": who, "when": when}
    if edit is not None:
        arrivals = [hour.arrivals for hour in edit.hours]
        recommendation = planner.recommend_for(day, arrivals=arrivals, targets=edit.targets)
        summary = planner.simulate_plan(
            day, order=recommendation.order, hours=edit.hours, targets=edit.targets
        )
        form = (
            {name: str(value) for name, value in request.POST.items()}
            if request.method == "POST"
            else planner.form_values(day, hours=edit.hours, targets=edit.targets)
        )
        page = planner.build(
            day, recommendation=recommendation, form=form, plan=(edit.hours, summary)
        )
    else:
        recommendation = planner.recommend_for(day, arrivals=day.forecast, targets=targets)
        form = (
            {name: str(value) for name, value in request.POST.items()}
            if problems
            else planner.form_values(
                day, hours=day.recommended_hours(recommendation), targets=targets
            )
        )
        invalid = {problem.box for problem in problems}
        page = planner.build(day, recommendation=recommendation, form=form, invalid=invalid)
    context = {
        "page": page,
        "plan_label": label,
        "problems": [problem.text for problem in problems],
        "note": request.POST.get("note", saved.note if saved is not None else ""),
    }
    return context, 422 if problems else 200


@login_required
@require_http_methods(["GET", "POST"])
def reference(request: HttpRequest) -> HttpResponse:
    """The reference centre (1,000 citizens a day, 09:00–20:00, 30 windows): nobody's data,
    re-simulated but never saved."""
    try:
        access.check_may_use_planner(request.user)
    except OneStopError as problem:
        return _refused(request, problem)
    day = planner.day_of(reference_scenario())
    context, status = _content(request, day, targets=Targets())
    context.update({"reference": True, "may_save": False, "action": reverse("planning:reference")})
    return render(request, TEMPLATE, context, status=status)


def _day(request: HttpRequest, centre: Centre) -> date:
    raw = request.GET.get("date", "")
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(_("Give the date as YYYY-MM-DD."), code="invalid_date") from None
    found = selectors.next_open_day(centre)
    if found is None:
        raise InvalidInput(
            _("The centre does not open in the next two weeks: choose a date."),
            code="centre_closed",
        )
    return found


def _forecast_context(centre: Centre, forecast: Forecast) -> dict[str, Any]:
    error = holdout_error(centre=centre, end=clock.today())
    return {"forecast": forecast, "forecast_note": forecast_note(forecast, error)}


def _save(
    request: HttpRequest, centre: Centre, day: date, plan_day: planner.Day
) -> HttpResponse | None:
    """Save the submitted plan and targets; None when the form has problems (the caller
    shows them)."""
    user = request.user
    assert isinstance(user, User)
    access.check_may_plan(user, centre)
    edit, problems = _submitted(request, plan_day)
    if edit is None or problems:
        return None
    targets = {group: int(edit.targets.for_group(group)) for group in Group}
    changed = edit.targets != selectors.targets_of(centre)
    services.save_plan(
        centre=centre,
        day=day,
        hours=edit.hours,
        starts=plan_day.starts,
        window_count=plan_day.window_count,
        max_arrivals=plan_day.max_arrivals,
        note=request.POST.get("note", ""),
        targets=targets if changed else None,
        actor=user,
    )
    messages.success(request, _("The plan is saved."))
    url = reverse("planning:centre", kwargs={"code": centre.code})
    return redirect(f"{url}?date={day.isoformat()}")


@login_required
@require_http_methods(["GET", "POST"])
def centre_page(request: HttpRequest, code: str) -> HttpResponse:
    """A centre's day: the forecast, the recommendation, the saved or edited plan."""
    try:
        centre = centres.centre_by_code(code)
        access.check_may_view(request.user, centre)
        day = _day(request, centre)
    except OneStopError as problem:
        return _refused(request, problem)
    url = reverse("planning:centre", kwargs={"code": centre.code})
    base: dict[str, Any] = {
        "centre": centre,
        "day": day,
        "may_save": access.may_plan(request.user, centre),
        "reference": False,
        "action": f"{url}?date={day.isoformat()}",
    }
    forecast = forecast_day(centre=centre, day=day)
    try:
        scenario = centre_scenario(centre=centre, day=day, forecast=forecast)
    except InvalidInput as problem:
        return render(request, TEMPLATE, {**base, "closed": problem.detail}, status=problem.status)
    targets = selectors.targets_of(centre)
    plan_day = planner.day_of(scenario)
    if request.method == "POST" and request.POST.get("action") == "save":
        try:
            saved_response = _save(request, centre, day, plan_day)
        except OneStopError as problem:
            return _refused(request, problem)
        if saved_response is not None:
            return saved_response
    saved = selectors.saved_plan(centre, day)
    context, status = _content(request, plan_day, targets=targets, saved=saved)
    context.update(base)
    context.update(_forecast_context(centre, forecast))
    context["saved"] = saved
    return render(request, TEMPLATE, context, status=status)
