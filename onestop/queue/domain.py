"""The queue's rules, pure: ticket states and their transitions, the dispatch order, the
waiting-time estimate. No ORM: the simulator of a later issue runs this same code."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called to a window")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed at the end of the day")


class TicketAction(models.TextChoices):
    CALL = "call", _("call")
    RECALL = "recall", _("recall")
    START = "start", _("start")
    FINISH = "finish", _("finish")
    NO_SHOW = "no_show", _("mark as no-show")
    TRANSFER = "transfer", _("transfer")
    CANCEL = "cancel", _("cancel")
    CLOSE = "close", _("close at the end of the day")


class PriorityGroup(models.TextChoices):
    NONE = "none", _("No priority")
    PENSIONER = "pensioner", _("Pensioner")
    VETERAN_WWII = "veteran_wwii", _("WWII veteran")
    VETERAN_AFGHAN = "veteran_afghan", _("Afghan war veteran")
    DISABLED = "disabled", _("Person with a disability")


class TicketPurpose(models.TextChoices):
    VISIT = "visit", _("Apply or ask")
    PICKUP = "pickup", _("Collect a result")


class Outcome(models.TextChoices):
    APPLICATION = "application", _("Application registered")
    CONSULTATION = "consultation", _("Consultation only")
    INCOMPLETE = "incomplete", _("Documents incomplete")


S, A = TicketStatus, TicketAction

# (state, action) -> new state. Anything not listed is illegal and changes nothing (409).
TRANSITIONS: dict[tuple[TicketStatus, TicketAction], TicketStatus] = {
    (S.WAITING, A.CALL): S.CALLED,
    (S.WAITING, A.CANCEL): S.CANCELLED,
    (S.WAITING, A.CLOSE): S.CLOSED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    (S.CALLED, A.NO_SHOW): S.NO_SHOW,
    (S.CALLED, A.TRANSFER): S.WAITING,
    (S.CALLED, A.CLOSE): S.CLOSED,
    (S.SERVING, A.FINISH): S.DONE,
    (S.SERVING, A.TRANSFER): S.WAITING,
    (S.SERVING, A.CLOSE): S.CLOSED,
}

ACTIVE_STATUSES = frozenset({S.WAITING, S.CALLED, S.SERVING})


def next_status(current: TicketStatus, action: TicketAction) -> TicketStatus | None:
    """The state `action` leads to from `current`, or None when it is not allowed."""
    return TRANSITIONS.get((current, action))


def ticket_number(letter: str, sequence: int) -> str:
    """A017: the service group's letter and the day's sequence of that letter."""
    return f"{letter}{sequence:03d}"


class Candidate(NamedTuple):
    """What dispatch needs to know of a waiting ticket. A named tuple, not a frozen dataclass:
    every call builds one per waiting ticket (and the staffing simulator one per visitor),
    and a tuple is built about five times faster."""

    id: str
    service: str
    issued_at: datetime  # the original issue time: a transfer keeps it
    priority: bool  # a confirmed or claimed priority group, where the service honours it
    target_wait: timedelta
    slot_at: datetime | None = None  # booked visitors: the slot they booked
    target_window: int | None = None  # transferred to one window in particular
    sequence: int = 0  # tie-breaker: the order of issue within the day
    wants_reminder: bool = False  # left a phone and has not yet been told the turn is near


def dispatch_key(candidate: Candidate, now: datetime) -> tuple[int, datetime, int]:
    """Lower goes first.

    Band 0 — served without queuing: priority groups (from their issue time), booked visitors
    whose slot has come (from the slot time), and walk-ins who have waited past the service's
    target (from the moment they passed it: that is the ageing guard against starvation).
    Band 1 — everyone else who walked in, in order of issue.
    Band 2 — booked visitors who came early: called before their slot only when nobody else
    waits for the window.
    """
    if candidate.slot_at is not None:
        if candidate.slot_at <= now:
            return (0, candidate.slot_at, candidate.sequence)
        return (2, candidate.slot_at, candidate.sequence)
    if candidate.priority:
        return (0, candidate.issued_at, candidate.sequence)
    aged_at = candidate.issued_at + candidate.target_wait
    if aged_at <= now:
        return (0, aged_at, candidate.sequence)
    return (1, candidate.issued_at, candidate.sequence)


def eligible(candidate: Candidate, window_number: int, window_services: frozenset[str]) -> bool:
    """A window serves only its services, and a ticket sent to one window only there."""
    if candidate.service not in window_services:
        return False
    return candidate.target_window is None or candidate.target_window == window_number


def dispatch_order(
    candidates: Iterable[Candidate],
    *,
    window_number: int,
    window_services: frozenset[str],
    now: datetime,
) -> list[Candidate]:
    """The tickets this window may call, in the order it should call them."""
    # `eligible`, inlined (a call per waiting ticket per call costs; a property test holds
    # the two together).
    mine = [
        c
        for c in candidates
        if c.service in window_services
        and (c.target_window is None or c.target_window == window_number)
    ]
    if len(mine) < 2:
        return mine  # nothing to order (the staffing simulator asks this very often)
    return sorted(mine, key=partial(dispatch_key, now=now))


def estimated_wait_minutes(*, people_ahead: int, open_windows: int, handling_minutes: float) -> int:
    """People ahead shared among the windows that can serve them, each taking the service's
    recent handling time. With no window open the estimate assumes one will open."""
    windows = max(open_windows, 1)
    return math.ceil(people_ahead * handling_minutes / windows)


def people_ahead(ticket: Candidate, competitors: Sequence[Candidate], now: datetime) -> int:
    """How many waiting tickets the dispatch order puts before `ticket` for its service."""
    mine = dispatch_key(ticket, now)
    return sum(
        1
        for other in competitors
        if other.id != ticket.id
        and other.service == ticket.service
        and dispatch_key(other, now) < mine
    )
