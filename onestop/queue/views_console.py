"""The operator console: the windows an operator may sit at, and the desk at one window.

Thin adapters: each POST calls one queue service and re-renders the desk. With htmx the desk
fragment comes back (errors as a banner, status 200, so htmx swaps it); without JavaScript a
success redirects back to the desk and an error renders the desk with the error's status.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onestop.accounts import access as accounts_access
from onestop.accounts import selectors as accounts
from onestop.accounts.domain import Permission
from onestop.accounts.models import User
from onestop.catalog.models import Service
from onestop.catalog.selectors import service_by_code
from onestop.centres.domain import WindowState
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotFound, OneStopError, PermissionDenied
from onestop.queue import access, domain, selectors, services, windows
from onestop.queue.domain import Outcome, PriorityGroup, TicketStatus
from onestop.queue.models import Ticket, WindowSession

PAUSE_REASONS: list[tuple[str, str | Promise]] = [
    ("lunch", _("Lunch break")),
    ("rest", _("Short rest")),
    ("technical", _("Technical problem")),
    ("colleague", _("Helping a colleague or the supervisor")),
    ("training", _("Training or a meeting")),
]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _minutes_since(moment: datetime | None, now: datetime) -> int | None:
    if moment is None:
        return None
    return max(int((now - moment).total_seconds() // 60), 0)


# --- Reading what the screens show ---------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    window: Window
    session: WindowSession | None
    services: list[Service]

    @property
    def state_label(self) -> str:
        return str(WindowState(self.window.state).label)


def _my_windows(user: User) -> list[WindowRow]:
    """Every window of the operator's centres that the queue's access funnel lets them use."""
    centre_ids = {
        a.centre_id
        for a in accounts.assignments_of(user)
        if a.centre is not None
        and accounts_access.has_permission(user, Permission.SERVE_TICKETS, centre=a.centre)
    }
    windows = (
        Window.objects.filter(centre_id__in=centre_ids)
        .select_related("centre")
        .prefetch_related("services")
        .order_by("centre__code", "number")
    )
    mine = []
    for window in windows:
        try:
            access.check_may_serve_at(user, window)
        except PermissionDenied:
            continue
        mine.append(window)
    sessions = {
        s.window_id: s
        for s in WindowSession.objects.select_related("operator").filter(
            window__in=mine, closed_at__isnull=True
        )
    }
    return [WindowRow(w, sessions.get(w.pk), list(w.services.all())) for w in mine]


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    waited_minutes: int
    priority_label: str
    first: bool


@dataclass
class Desk:
    window: Window
    session: WindowSession | None
    mine: bool
    current: Ticket | None = None
    queue: list[QueueRow] = field(default_factory=list)
    transfer_services: list[Service] = field(default_factory=list)
    other_windows: list[int] = field(default_factory=list)
    since_called: int | None = None
    since_started: int | None = None
    recalls_needed: int = 0

    @property
    def paused(self) -> bool:
        return self.window.state == WindowState.PAUSED

    @property
    def may_no_show(self) -> bool:
        return self.current is not None and self.current.recalls >= self.recalls_needed

    @property
    def priority_label(self) -> str:
        if self.current is None or self.current.priority == PriorityGroup.NONE:
            return ""
        return str(PriorityGroup(self.current.priority).label)

    @property
    def status_label(self) -> str:
        return str(TicketStatus(self.current.status).label) if self.current else ""


def _current_ticket(window: Window) -> Ticket | None:
    return (
        Ticket.objects.select_related("service", "centre", "window")
        .filter(window=window, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .first()
    )


def _queue(window: Window, now: datetime) -> list[QueueRow]:
    """The tickets this window may call, in the order `call_next` would call them."""
    codes = frozenset(window.services.values_list("code", flat=True))
    order = domain.dispatch_order(
        selectors.candidates_for(window.centre, codes),
        window_number=window.number,
        window_services=codes,
        now=now,
    )
    tickets = Ticket.objects.select_related("service").in_bulk([c.id for c in order])
    rows = []
    for index, candidate in enumerate(order):
        ticket = tickets.get(uuid.UUID(candidate.id))
        if ticket is None:
            continue
        priority = ""
        if ticket.priority != PriorityGroup.NONE:
            priority = str(PriorityGroup(ticket.priority).label)
        rows.append(
            QueueRow(ticket, _minutes_since(ticket.issued_at, now) or 0, priority, index == 0)
        )
    return rows


def _centre_services(centre: Centre) -> list[Service]:
    return list(Service.objects.filter(windows__centre=centre, is_active=True).distinct())


def _desk(window: Window, user: User) -> Desk:
    window.refresh_from_db(fields=["state"])
    session = selectors.open_session_at(window)
    mine = session is not None and session.operator_id == user.pk
    desk = Desk(window=window, session=session, mine=mine)
    if not mine:
        return desk
    now = clock.now()
    desk.current = _current_ticket(window)
    desk.queue = _queue(window, now)
    desk.recalls_needed = settings.QUEUE_RECALLS_BEFORE_NO_SHOW
    if desk.current is not None:
        desk.since_called = _minutes_since(desk.current.called_at, now)
        desk.since_started = _minutes_since(desk.current.started_at, now)
        desk.transfer_services = _centre_services(window.centre)
        desk.other_windows = list(
            Window.objects.filter(centre=window.centre)
            .exclude(pk=window.pk)
            .values_list("number", flat=True)
        )
    return desk


# --- Pages ---------------------------------------------------------------------------------


def _desk_response(
    request: HttpRequest,
    window: Window,
    *,
    error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "desk": _desk(window, _user(request)),
        "error": error,
        "notice": notice,
        "pause_reasons": PAUSE_REASONS,
        "outcomes": Outcome.choices,
    }
    if _is_htmx(request):
        return render(request, "queue/console_desk.html", context)
    return render(request, "queue/console_page.html", context, status=status)


def _problem_page(request: HttpRequest, exc: OneStopError) -> HttpResponse:
    return render(request, "queue/console_error.html", {"error": exc.detail}, status=exc.status)


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = _my_windows(user)
    sitting = next((r for r in rows if r.session and r.session.operator_id == user.pk), None)
    return render(request, "queue/console_windows.html", {"rows": rows, "sitting": sitting})


def _served_window(request: HttpRequest, centre: str, number: int) -> Window:
    window = selectors.window_at(centre, number)
    access.check_may_serve_at(_user(request), window)
    return window


@login_required
def desk(request: HttpRequest, centre: str, number: int) -> HttpResponse:
    try:
        window = _served_window(request, centre, number)
    except OneStopError as exc:
        return _problem_page(request, exc)
    return _desk_response(request, window)


# --- Actions: one service call each --------------------------------------------------------

Action = Callable[[HttpRequest, Window, User], str]


def _ticket(request: HttpRequest) -> Ticket:
    try:
        ticket_id = uuid.UUID(request.POST.get("ticket", ""))
    except ValueError:  # a malformed id is the same as an unknown one
        raise NotFound(_("There is no such ticket."), code="ticket_not_found") from None
    return selectors.ticket_by_id(str(ticket_id))


def _posted_ticket(request: HttpRequest, window: Window) -> Ticket:
    """The ticket named in the form, which must be the one at this window."""
    ticket = _ticket(request)
    if ticket.window_id != window.pk:
        raise InvalidInput(
            _("Ticket %(number)s is not at this window any more."),
            code="not_at_window",
            number=ticket.number,
        )
    return ticket


def _take(request: HttpRequest, window: Window, user: User) -> str:
    windows.take_window(window=window, operator=user)
    return str(_("You sit at window %(number)s.") % {"number": window.number})


def _leave(request: HttpRequest, window: Window, user: User) -> str:
    windows.leave_window(window=window, operator=user)
    return str(_("You left window %(number)s.") % {"number": window.number})


def _pause(request: HttpRequest, window: Window, user: User) -> str:
    labels = dict(PAUSE_REASONS)
    chosen = labels.get(request.POST.get("reason", ""), "")
    text = request.POST.get("note", "").strip()[:150]
    reason = ": ".join(str(part) for part in (chosen, text) if part)
    windows.pause_window(window=window, operator=user, reason=reason)
    return str(_("The window is paused."))


def _resume(request: HttpRequest, window: Window, user: User) -> str:
    windows.resume_window(window=window, operator=user)
    return str(_("The window is open again."))


def _call_next(request: HttpRequest, window: Window, user: User) -> str:
    ticket = services.call_next(window=window, operator=user)
    if ticket is None:
        return str(_("Nobody is waiting for this window."))
    return str(_("Ticket %(number)s is called.") % {"number": ticket.number})


def _call_ticket(request: HttpRequest, window: Window, user: User) -> str:
    ticket = _ticket(request)
    services.call_ticket(
        ticket=ticket, window=window, operator=user, reason=request.POST.get("reason", "")
    )
    return str(_("Ticket %(number)s is called out of order.") % {"number": ticket.number})


def _recall(request: HttpRequest, window: Window, user: User) -> str:
    ticket = services.recall(ticket=_posted_ticket(request, window), operator=user)
    return str(_("Ticket %(number)s is called again.") % {"number": ticket.number})


def _start(request: HttpRequest, window: Window, user: User) -> str:
    ticket = services.start(ticket=_posted_ticket(request, window), operator=user)
    return str(_("Serving ticket %(number)s.") % {"number": ticket.number})


def _finish(request: HttpRequest, window: Window, user: User) -> str:
    ticket = services.finish(
        ticket=_posted_ticket(request, window),
        operator=user,
        outcome=request.POST.get("outcome", ""),
    )
    return str(_("Ticket %(number)s is finished.") % {"number": ticket.number})


def _no_show(request: HttpRequest, window: Window, user: User) -> str:
    ticket = services.mark_no_show(ticket=_posted_ticket(request, window), operator=user)
    return str(_("Ticket %(number)s did not come.") % {"number": ticket.number})


def _transfer(request: HttpRequest, window: Window, user: User) -> str:
    ticket = _posted_ticket(request, window)
    code = request.POST.get("service", "").strip()
    raw_window = request.POST.get("window", "").strip()
    if not code and not raw_window:
        raise InvalidInput(
            _("Choose a service or a window to transfer to."), code="transfer_target_required"
        )
    try:
        to_window = int(raw_window) if raw_window else None
    except ValueError:
        raise InvalidInput(_("Choose a window from the list."), code="invalid_window") from None
    ticket = services.transfer(
        ticket=ticket,
        operator=user,
        service=service_by_code(code) if code else None,
        window_number=to_window,
    )
    return str(_("Ticket %(number)s is back in the queue.") % {"number": ticket.number})


ACTIONS: dict[str, Action] = {
    "take": _take,
    "leave": _leave,
    "pause": _pause,
    "resume": _resume,
    "call-next": _call_next,
    "call": _call_ticket,
    "recall": _recall,
    "start": _start,
    "finish": _finish,
    "no-show": _no_show,
    "transfer": _transfer,
}


@login_required
@require_POST
def act(request: HttpRequest, centre: str, number: int, action: str) -> HttpResponseBase:
    handler = ACTIONS.get(action)
    try:
        window = _served_window(request, centre, number)
    except OneStopError as exc:
        return _problem_page(request, exc)
    if handler is None:
        return _problem_page(
            request, NotFound(_("There is no such action."), code="action_not_found")
        )
    try:
        notice = handler(request, window, _user(request))
    except OneStopError as exc:
        return _desk_response(request, window, error=exc.detail, status=exc.status)
    if _is_htmx(request):
        return _desk_response(request, window, notice=notice)
    messages.success(request, notice)
    return redirect(reverse("console:desk", args=[window.centre.code, window.number]))
