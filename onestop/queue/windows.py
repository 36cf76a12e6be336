"""An operator's window: taking it, pausing for a break and resuming, leaving it. One
transaction each, with its audit entry and event; one operator per window and one window
per operator at a time (unique constraints on the open session)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit import services as audit
from onestop.centres.domain import WindowState
from onestop.centres.models import Window
from onestop.centres.services import set_window_state
from onestop.core import clock
from onestop.core.errors import Conflict, InvalidInput
from onestop.events import services as events
from onestop.queue.models import WindowSession
from onestop.queue.services import check_window_free, session_of


def take_window(*, window: Window, operator: User) -> WindowSession:
    """Sit at a window: one operator per window and one window per operator at a time."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                session = WindowSession.objects.create(
                    window=window, operator=operator, opened_at=clock.now()
                )
        except IntegrityError:
            raise Conflict(
                _("Window %(number)s is taken, or you already sit at another window."),
                code="window_taken",
                number=window.number,
            ) from None
        set_window_state(window=window, state=WindowState.OPEN)
        audit.record(actor=operator, action="queue.window_taken", target=window)
        events.publish(
            topic="queue.window.open",
            payload={"window": window.number, "operator": operator.username},
            centre_code=window.centre.code,
        )
    return session


def leave_window(*, window: Window, operator: User) -> None:
    session = session_of(window, operator)
    check_window_free(window)
    now = clock.now()
    with transaction.atomic():
        session.breaks.filter(ended_at__isnull=True).update(ended_at=now)
        WindowSession.objects.filter(pk=session.pk).update(closed_at=now)
        set_window_state(window=window, state=WindowState.CLOSED)
        audit.record(actor=operator, action="queue.window_left", target=window)
        events.publish(
            topic="queue.window.closed",
            payload={"window": window.number},
            centre_code=window.centre.code,
        )


def pause_window(*, window: Window, operator: User, reason: str) -> None:
    session = session_of(window, operator)
    check_window_free(window)
    if not reason.strip():
        raise InvalidInput(_("Give a reason for the break."), code="reason_required")
    now = clock.now()
    with transaction.atomic():
        if not set_window_state(window=window, state=WindowState.PAUSED, only_from="open"):
            raise Conflict(_("The window is already paused."), code="window_paused")
        session.breaks.create(reason=reason.strip()[:200], started_at=now)
        audit.record(
            actor=operator, action="queue.window_paused", target=window, data={"reason": reason}
        )
        events.publish(
            topic="queue.window.paused",
            payload={"window": window.number},
            centre_code=window.centre.code,
        )


def resume_window(*, window: Window, operator: User) -> None:
    session = session_of(window, operator)
    now = clock.now()
    with transaction.atomic():
        if not set_window_state(window=window, state=WindowState.OPEN, only_from="paused"):
            raise Conflict(_("The window is not paused."), code="window_not_paused")
        session.breaks.filter(ended_at__isnull=True).update(ended_at=now)
        audit.record(actor=operator, action="queue.window_resumed", target=window)
        events.publish(
            topic="queue.window.open",
            payload={"window": window.number, "operator": operator.username},
            centre_code=window.centre.code,
        )
