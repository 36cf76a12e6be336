"""The back-office workspace: an officer's work queue, a head's view of the department, and
the case page with its decision forms.

Thin adapters: reads come from `selectors` and `workspace`, each POST checks the access funnel
and calls one service. A success redirects (with a message) to the case page; a refusal by the
funnel or a service re-renders the case page with the error and its status, having written
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onestop.accounts.models import User
from onestop.cases import access, selectors, services, workspace
from onestop.cases.models import Application
from onestop.catalog.models import Department
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotFound, OneStopError
from onestop.core.iin import mask_iin
from onestop.core.selectors import working_calendar


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _problem_page(request: HttpRequest, problem: OneStopError) -> HttpResponse:
    context = {"error": problem.detail, "code": problem.code, "status": problem.status}
    return render(request, "cases/backoffice_error.html", context, status=problem.status)


@login_required
@require_GET
def work_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        access.check_may_use_workspace(user)
    except OneStopError as problem:
        return _problem_page(request, problem)
    calendar, now = working_calendar(), clock.now()
    officer, head = access.workspace_roles(user)
    context: dict[str, Any] = {"officer": officer, "head": head}
    if officer:
        context["queue"] = workspace.rows(selectors.work_queue(user), calendar, now)
        context["rechecks"] = list(selectors.rechecks(user))
    if head:
        department = workspace.rows(workspace.department_cases(user), calendar, now)
        context.update(
            department=department,
            loads=workspace.loads(department, workspace.department_officers(user)),
            unassigned=sum(1 for row in department if row.case.assigned_to_id is None),
            limited=len(department) >= workspace.HEAD_LIST_LIMIT,
            limit=workspace.HEAD_LIST_LIMIT,
        )
    return render(request, "cases/backoffice.html", context)


def _case_response(
    request: HttpRequest,
    case: Application,
    *,
    problem: OneStopError | None = None,
    failed: str = "",
) -> HttpResponse:
    user = _user(request)
    grounds = list(case.service.refusal_grounds.all())
    allowed = access.allowed(user, case, has_grounds=bool(grounds))
    context: dict[str, Any] = {
        "case": case,
        "clock": workspace.clock_of(case, working_calendar(), clock.now()),
        "applicant_iin": mask_iin(case.applicant_iin),
        "representative_iin": mask_iin(case.representative_iin),
        "documents": case.documents.select_related("document"),
        "history": workspace.history(case),
        "allowed": allowed,
        "grounds": [(g.code, g.localized("text")) for g in grounds],
        "departments": workspace.other_departments(case) if allowed.forward else [],
        "officers": workspace.officers_for(case) if allowed.reassign else [],
        "may_use_workspace": any(access.workspace_roles(user)),
        "error": problem.detail if problem else "",
        "error_code": problem.code if problem else "",
        "failed": failed,
        "posted": request.POST if problem else QueryDict(),
    }
    return render(
        request, "cases/case_page.html", context, status=problem.status if problem else 200
    )


def _visible_case(request: HttpRequest, number: str) -> Application:
    case = selectors.application_numbered(number)
    access.check_may_view(_user(request), case)
    return case


@login_required
@require_GET
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        case = _visible_case(request, number)
    except OneStopError as problem:
        return _problem_page(request, problem)
    # A member of staff opened the case's personal data: that is on the record (DESIGN §1).
    services.record_view(case, _user(request))
    return _case_response(request, case)


# --- Actions: the funnel, then one service call each ---------------------------------------

Done = tuple[str, str]  # the message, and where to go next
Action = Callable[[HttpRequest, Application, User], Done]


def _text(request: HttpRequest, name: str, limit: int) -> str:
    return request.POST.get(name, "").strip()[:limit]


def _here(case: Application) -> str:
    return reverse("cases:case", args=[case.number])


def _approve(request: HttpRequest, case: Application, user: User) -> Done:
    access.check_may_decide(user, case)
    services.decide(
        case=case,
        officer=user,
        decision="approve",
        result_number=_text(request, "result_number", 60),
    )
    return _("The application is approved: the result goes to the centre."), _here(case)


def _refuse(request: HttpRequest, case: Application, user: User) -> Done:
    access.check_may_decide(user, case)
    services.decide(
        case=case,
        officer=user,
        decision="refuse",
        ground=_text(request, "ground", 60),
        text=_text(request, "refusal_text", 2000),
    )
    return _("The application is refused: the decision goes to the centre."), _here(case)


def _give_back(request: HttpRequest, case: Application, user: User) -> Done:
    access.check_may_decide(user, case)
    services.decide(
        case=case, officer=user, decision="return", text=_text(request, "return_text", 500)
    )
    return _("The application is returned: the citizen is told what to bring."), _here(case)


def _forward(request: HttpRequest, case: Application, user: User) -> Done:
    access.check_may_decide(user, case)
    code = _text(request, "department", 20).upper()
    department = Department.objects.filter(code=code).first() if code else None
    if department is None:
        raise InvalidInput(_("Choose a department from the list."), code="department_required")
    services.forward(
        case=case, officer=user, department=department, reason=_text(request, "forward_reason", 300)
    )
    message = _("The application is forwarded to %(department)s.") % {"department": department}
    return message, reverse("cases:backoffice")  # it has left this back office


def _recheck(request: HttpRequest, case: Application, user: User) -> Done:
    access.check_may_decide(user, case)
    outcome = request.POST.get("outcome", "")
    services.recheck(
        case=case, officer=user, outcome=outcome, reason=_text(request, "recheck_reason", 500)
    )
    if outcome == "reverse":
        return _("The counter decision is reversed: the citizen is told."), _here(case)
    return _("The counter decision is confirmed."), _here(case)


def _reassign(request: HttpRequest, case: Application, user: User) -> Done:
    access.check_may_reassign(user, case)
    username = _text(request, "officer", 150)
    officer = User.objects.filter(username=username, is_active=True).first() if username else None
    if officer is None:
        raise InvalidInput(
            _("That person is not an officer of this back office."), code="not_an_officer"
        )
    services.reassign(case=case, head=user, officer=officer, reason=_text(request, "reason", 300))
    name = officer.get_full_name() or officer.username
    return _("The application is reassigned to %(name)s.") % {"name": name}, _here(case)


ACTIONS: dict[str, Action] = {
    "approve": _approve,
    "refuse": _refuse,
    "return": _give_back,
    "forward": _forward,
    "recheck": _recheck,
    "reassign": _reassign,
}


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponseBase:
    try:
        case = _visible_case(request, number)
        handler = ACTIONS.get(action)
        if handler is None:
            raise NotFound(_("There is no such action."), code="action_not_found")
    except OneStopError as problem:
        return _problem_page(request, problem)
    try:
        notice, target = handler(request, case, _user(request))
    except OneStopError as problem:
        # A service may have touched the object before refusing: show what is stored.
        fresh = selectors.application_numbered(case.number)
        return _case_response(request, fresh, problem=problem, failed=action)
    messages.success(request, notice)
    return redirect(target)
