"""Writes to the queue: issue, call, serve, transfer, close. One transaction each, with its
audit entry and its event; a ticket changes state only by a conditional UPDATE on the state it
was read in, so two operators can never both call, start or finish the same ticket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit import services as audit
from onestop.catalog.models import Service
from onestop.catalog.selectors import service_by_id
from onestop.centres import selectors as centres
from onestop.centres.domain import WindowState
from onestop.centres.models import Centre, Window
from onestop.core import clock, sql
from onestop.core.errors import Conflict, InvalidInput
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.events import services as events
from onestop.notify.domain import normalise_kz_phone
from onestop.queue import domain
from onestop.queue.domain import (
    Outcome,
    PriorityGroup,
    TicketAction,
    TicketPurpose,
    TicketStatus,
)
from onestop.queue.models import Ticket, TicketCounter, WindowSession
from onestop.queue.reminders import invite_to_rate, remind_near_turn
from onestop.queue.selectors import candidates_for, open_session_at

# Pension age in Kazakhstan: 63 for men; for women 61, frozen at that until 2028 before it
# rises again. Priority from the IIN is a convenience: the operator still confirms it.
PENSION_AGE = {"M": 63, "F": 61}


def _payload(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    return {
        "ticket": str(ticket.id),
        "number": ticket.number,
        "status": ticket.status,
        "service": ticket.service.code,
        "letter": ticket.number[:1],
        "window": ticket.window.number if ticket.window else None,
        **extra,
    }


def _publish(ticket: Ticket, action: str, **extra: Any) -> None:
    events.publish(
        topic=f"queue.ticket.{action}",
        payload=_payload(ticket, **extra),
        centre_code=ticket.centre.code,
    )


def _priority(raw_priority: str, iin: str, today: date) -> tuple[str, bool, str]:
    """The priority group claimed or derived from the IIN, whether it was derived, the IIN."""
    if raw_priority not in PriorityGroup.values:
        raise InvalidInput(_("Unknown priority group."), code="invalid_priority")
    if not iin:
        return raw_priority, False, ""
    try:
        person = parse_iin(iin)
    except InvalidIIN:
        raise InvalidInput(
            _("This IIN is not valid: check the 12 digits."), code="invalid_iin"
        ) from None
    if raw_priority == PriorityGroup.NONE and person.age_on(today) >= PENSION_AGE[person.sex]:
        return PriorityGroup.PENSIONER, True, person.value
    return raw_priority, False, person.value


def issue_ticket(
    *,
    centre: Centre,
    service: Service,
    iin: str = "",
    priority: str = PriorityGroup.NONE,
    phone: str = "",
    language: str = "kk",
    idempotency_key: str | None = None,
    actor: User | None = None,
    purpose: str = TicketPurpose.VISIT,
    reference: str = "",
) -> Ticket:
    """A new ticket at the end of the queue, or the first one again for a repeated key."""
    if idempotency_key:
        earlier = _issued_with_key(centre, idempotency_key)
        if earlier is not None:
            return earlier
    now = clock.now()
    if not centres.is_open_at(centre, now):
        opening = centres.next_opening(centre, now)
        if opening is None:
            raise Conflict(_("The centre is closed."), code="centre_closed")
        raise Conflict(
            _("The centre is closed. It opens %(when)s."),
            code="centre_closed",
            when=date_format(opening, "SHORT_DATETIME_FORMAT"),
        )
    if not service.is_active or not centres.serves(centre, service.pk):
        raise InvalidInput(
            _("This service is not provided at this centre."), code="service_not_here"
        )
    today = clock.today()
    group, from_iin, clean_iin = _priority(priority, iin.strip(), today)
    clean_phone = ""
    if phone.strip():
        clean_phone = normalise_kz_phone(phone) or ""
        if not clean_phone:
            raise InvalidInput(
                _("Enter a Kazakhstan mobile number, e.g. +7 701 234 56 78."), code="invalid_phone"
            )
    if language not in ("kk", "ru", "en"):
        raise InvalidInput(_("Unknown language."), code="invalid_language")
    try:
        with transaction.atomic():
            letter = service.life_situation.letter
            # One statement creates or bumps the day's counter and locks it until commit.
            sequence = sql.bump_counter(
                TicketCounter, {"centre": centre, "day": today, "letter": letter}
            )
            ticket = Ticket(
                centre=centre,
                service=service,
                day=today,
                number=domain.ticket_number(letter, sequence),
                sequence=sequence,
                priority=group,
                priority_from_iin=from_iin,
                iin=clean_iin,
                phone=clean_phone,
                language=language,
                issued_at=now,
                idempotency_key=idempotency_key or None,
                purpose=purpose,
                reference=reference[:40],
            )
            sql.insert(ticket)
            _publish(ticket, "issued", priority=group)
            audit.record(
                actor=actor,
                action="queue.ticket_issued",
                target=ticket,
                data={"number": ticket.number, "service": service.code, "priority": group},
            )
    except IntegrityError:
        # The same idempotency key raced in from a retry: the first one won; answer with it.
        if idempotency_key:
            earlier = _issued_with_key(centre, idempotency_key)
            if earlier is not None:
                return earlier
        raise
    return ticket


def _issued_with_key(centre: Centre, key: str) -> Ticket | None:
    """The ticket a kiosk already got for this Idempotency-Key, with what its answer shows."""
    earlier = next(
        iter(
            Ticket.objects.raw(
                "SELECT * FROM queue_ticket WHERE centre_id = %s AND idempotency_key = %s",
                [centre.pk, key],
            )
        ),
        None,
    )
    if earlier is not None:
        earlier.centre = centre
    return earlier


def _conflict(ticket: Ticket, action: TicketAction) -> Conflict:
    return Conflict(
        _("A ticket that is “%(status)s” cannot be given “%(action)s”."),
        code="illegal_transition",
        status=TicketStatus(ticket.status).label,
        action=action.label,
    )


def _transition(
    ticket: Ticket,
    action: TicketAction,
    *,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    then: Callable[[], None] | None = None,
) -> Ticket:
    """Move `ticket` by `action` if its current state allows it, atomically against others;
    `then` runs after the move has committed."""
    new = domain.next_status(TicketStatus(ticket.status), action)
    if new is None:
        raise _conflict(ticket, action)
    fields = {"status": new, **(changes or {})}
    with transaction.atomic():
        counts = sql.update_returning(
            Ticket,
            where={"id": ticket.pk, "status": ticket.status},
            changes=fields,
            returning=("recalls", "transfers"),
        )
        if counts is None:
            ticket.refresh_from_db()
            raise _conflict(ticket, action)
        for name, value in fields.items():
            if not isinstance(value, sql.Increment):
                setattr(ticket, name, value)
        ticket.recalls, ticket.transfers = counts
        _publish(ticket, action.value, **(data or {}))
        audit.record(
            actor=actor,
            action=f"queue.ticket_{action.value}",
            target=ticket,
            data={"number": ticket.number, "status": new, **(data or {})},
        )
        if then is not None:
            transaction.on_commit(then)
    return ticket


def _not_taken(window: Window) -> Conflict:
    return Conflict(
        _("Take window %(number)s before serving at it."),
        code="window_not_taken",
        number=window.number,
    )


def _busy(number: str) -> Conflict:
    return Conflict(
        _("Finish ticket %(number)s or mark it as a no-show first."),
        code="window_busy",
        number=number,
    )


def session_of(window: Window, operator: User) -> WindowSession:
    session = open_session_at(window)
    if session is None or session.operator_id != operator.pk:
        raise _not_taken(window)
    return session


def check_window_free(window: Window) -> None:
    busy = (
        Ticket.objects.filter(window=window, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .values_list("number", flat=True)
        .first()
    )
    if busy is not None:
        raise _busy(busy)


def _check_ready_to_call(window: Window, operator: User) -> None:
    """`_session_of` and `_check_free` in one read, for the hottest path."""
    [(sitting, busy)] = sql.select(
        "SELECT (SELECT operator_id FROM queue_windowsession "
        "WHERE window_id = %s AND closed_at IS NULL), "
        "(SELECT number FROM queue_ticket WHERE window_id = %s AND status IN (%s, %s) LIMIT 1)",
        [window.pk, window.pk, TicketStatus.CALLED.value, TicketStatus.SERVING.value],
        [sql.field(WindowSession, "operator"), sql.field(Ticket, "number")],
    )
    if sitting != operator.pk:
        raise _not_taken(window)
    if window.state != WindowState.OPEN:
        raise Conflict(_("The window is paused: resume it first."), code="window_paused")
    if busy is not None:
        raise _busy(busy)


def _claim_sql() -> str:
    """Call one waiting ticket to a window, in one statement that answers with the row.
    PostgreSQL: a ticket another operator is claiming this instant is skipped, not waited
    for; they will get it. Only that one row is locked, never the whole queue, or everyone
    else would see "nobody waiting" while people wait. SQLite: the IMMEDIATE transaction
    already serialises writers, and the status condition is the guarantee."""
    table = sql.qn(Ticket._meta.db_table)
    skip_locked = (
        f" AND id IN (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)"
        if connection.vendor == "postgresql"
        else ""
    )
    return (
        f"UPDATE {table} SET status = %s, window_id = %s, operator_id = %s, called_at = %s, "
        f"target_window = NULL WHERE id = %s AND status = %s{skip_locked} RETURNING *"
    )


def _claim(candidate_id: str, window: Window, operator: User, now: Any) -> Ticket | None:
    pk = sql.prep(Ticket, "id", candidate_id)
    params = [
        TicketStatus.CALLED.value,
        window.pk,
        operator.pk,
        sql.prep(Ticket, "called_at", now),
        pk,
        TicketStatus.WAITING.value,
    ]
    if connection.vendor == "postgresql":
        params.append(pk)
    ticket = next(iter(Ticket.objects.raw(_claim_sql(), params)), None)
    if ticket is not None:
        ticket.centre = window.centre
        ticket.window = window
    return ticket


def call_next(*, window: Window, operator: User) -> Ticket | None:
    """Call the next ticket this window may serve, or None when nobody waits for it."""
    _check_ready_to_call(window, operator)
    services = centres.service_codes_at(window)
    now = clock.now()
    order = domain.dispatch_order(
        candidates_for(window.centre_id, services),
        window_number=window.number,
        window_services=services,
        now=now,
    )
    with transaction.atomic():
        for place, candidate in enumerate(order):
            ticket = _claim(candidate.id, window, operator, now)
            if ticket is None:
                continue  # another window called it a moment ago
            ticket.service = service_by_id(ticket.service_id)
            _publish(ticket, "call")
            audit.record(
                actor=operator,
                action="queue.ticket_call",
                target=ticket,
                data={"number": ticket.number, "window": window.number},
            )
            near = [
                c.id
                for c in order[place + 1 : place + 1 + settings.QUEUE_SMS_WHEN_AHEAD]
                if c.wants_reminder
            ]
            if near:
                transaction.on_commit(partial(remind_near_turn, ticket_ids=near))
            return ticket
    return None


def call_ticket(*, ticket: Ticket, window: Window, operator: User, reason: str) -> Ticket:
    """Call one ticket out of order: only with a reason, which the audit trail keeps."""
    session_of(window, operator)
    check_window_free(window)
    if not reason.strip():
        raise InvalidInput(_("Say why this ticket is called out of order."), code="reason_required")
    if (
        ticket.centre_id != window.centre_id
        or not window.services.filter(pk=ticket.service_id).exists()
    ):
        raise InvalidInput(
            _("This window does not serve that ticket's service."), code="wrong_window"
        )
    return _transition(
        ticket,
        TicketAction.CALL,
        actor=operator,
        changes={
            "window": window,
            "operator": operator,
            "called_at": clock.now(),
            "target_window": None,
        },
        data={"window": window.number, "out_of_order": reason.strip()[:300]},
    )


def recall(*, ticket: Ticket, operator: User) -> Ticket:
    return _transition(
        ticket,
        TicketAction.RECALL,
        actor=operator,
        changes={"recalls": sql.Increment(), "called_at": clock.now()},
    )


def start(*, ticket: Ticket, operator: User) -> Ticket:
    return _transition(
        ticket, TicketAction.START, actor=operator, changes={"started_at": clock.now()}
    )


def finish(*, ticket: Ticket, operator: User, outcome: str) -> Ticket:
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose how the visit ended."), code="invalid_outcome")
    return _transition(
        ticket,
        TicketAction.FINISH,
        actor=operator,
        changes={"finished_at": clock.now(), "outcome": outcome},
        data={"outcome": outcome},
        # A citizen who left a phone gets the link to rate the visit, once it has ended.
        then=partial(invite_to_rate, ticket_id=str(ticket.pk)) if ticket.phone else None,
    )


def mark_no_show(*, ticket: Ticket, operator: User) -> Ticket:
    needed = settings.QUEUE_RECALLS_BEFORE_NO_SHOW
    if ticket.status == TicketStatus.CALLED and ticket.recalls < needed:
        raise Conflict(
            _("Recall the ticket %(n)s times before marking a no-show."),
            code="recall_first",
            n=needed,
        )
    return _transition(
        ticket, TicketAction.NO_SHOW, actor=operator, changes={"finished_at": clock.now()}
    )


def transfer(
    *,
    ticket: Ticket,
    operator: User,
    service: Service | None = None,
    window_number: int | None = None,
) -> Ticket:
    """Back into the queue for another service or one window; the issue time is kept, so the
    citizen does not start again at the end."""
    target_service = service or ticket.service
    windows = Window.objects.filter(centre=ticket.centre, services=target_service)
    if window_number is not None:
        windows = windows.filter(number=window_number)
    if not windows.exists():
        raise InvalidInput(
            _("No window of this centre serves that service."), code="no_window_for_service"
        )
    return _transition(
        ticket,
        TicketAction.TRANSFER,
        actor=operator,
        changes={
            "service": target_service,
            "target_window": window_number,
            "window": None,
            "operator": None,
            "called_at": None,
            "started_at": None,
            "transfers": sql.Increment(),
        },
        data={"to_service": target_service.code, "to_window": window_number},
    )


def cancel(*, ticket: Ticket, actor: User | None = None) -> Ticket:
    return _transition(
        ticket, TicketAction.CANCEL, actor=actor, changes={"finished_at": clock.now()}
    )


def close_day(*, centre: Centre, reason: str, actor: User | None = None) -> int:
    """Close every ticket still open at closing time, with the reason, and count them."""
    closed = 0
    open_tickets = Ticket.objects.filter(
        centre=centre, status__in=[TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]
    ).select_related("service", "centre", "window")
    for ticket in open_tickets:
        try:
            _transition(
                ticket,
                TicketAction.CLOSE,
                actor=actor,
                changes={"finished_at": clock.now(), "note": reason[:300]},
                data={"reason": reason[:300]},
            )
            closed += 1
        except Conflict:
            continue  # served or cancelled a moment ago: nothing to close
    return closed
