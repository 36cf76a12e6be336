"""The live centre view's arithmetic, pure: waits against targets, window activity, averages,
an operator's continuous serving time, breaks and share of the load. No ORM."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

DEFAULT_MAX_CONTINUOUS_MINUTES = 120


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from `start` to `end`, never negative."""
    return max((end - start).total_seconds() / 60.0, 0.0)


def wait_start(issued_at: datetime, slot_at: datetime | None) -> datetime:
    """When a visitor's wait counts from: a booked visitor who came early waits from the slot."""
    if slot_at is not None and slot_at > issued_at:
        return slot_at
    return issued_at


def average_minutes(spans: Iterable[tuple[datetime, datetime]]) -> float | None:
    """The mean length of (start, end) spans in minutes, one decimal; None when there is none."""
    lengths = [minutes_between(start, end) for start, end in spans]
    if not lengths:
        return None
    return round(sum(lengths) / len(lengths), 1)


@dataclass(frozen=True)
class Waiter:
    """A waiting ticket as the live view sees it."""

    waiting_since: datetime
    target_minutes: int


@dataclass(frozen=True)
class GroupWait:
    waiting: int
    longest_wait_minutes: int
    over_target: int  # how many have waited past their own service's target


def group_wait(waiters: Sequence[Waiter], now: datetime) -> GroupWait:
    """A service group's queue: how many wait, the longest wait so far (whole minutes, rounded
    down) and how many have passed their service's target wait."""
    if not waiters:
        return GroupWait(waiting=0, longest_wait_minutes=0, over_target=0)
    waits = [minutes_between(w.waiting_since, now) for w in waiters]
    over = sum(1 for w, minutes in zip(waiters, waits, strict=True) if minutes > w.target_minutes)
    return GroupWait(waiting=len(waiters), longest_wait_minutes=int(max(waits)), over_target=over)


# What a window is doing now. "open" in the figures counts serving + idle + paused.
CLOSED, PAUSED, SERVING, IDLE = "closed", "paused", "serving", "idle"


def window_activity(*, session_open: bool, on_break: bool, has_ticket: bool) -> str:
    """Closed (nobody sits there), paused (on a break), serving (a ticket called or being
    served there) or idle (open, nothing called)."""
    if not session_open:
        return CLOSED
    if has_ticket:
        return SERVING
    if on_break:
        return PAUSED
    return IDLE


@dataclass(frozen=True)
class Pause:
    started_at: datetime
    ended_at: datetime | None  # None: still on the break


def break_minutes(pauses: Iterable[Pause], now: datetime) -> int:
    """Minutes spent on breaks, an unfinished one counted up to now (rounded down)."""
    return int(sum(minutes_between(p.started_at, p.ended_at or now) for p in pauses))


def continuous_minutes(
    *, session_opened_at: datetime | None, pauses: Sequence[Pause], now: datetime
) -> int:
    """How long an operator has served without a break: since the later of the session's
    opening and the end of the last break; 0 when not at a window or on a break now."""
    if session_opened_at is None:
        return 0
    if any(p.ended_at is None for p in pauses):
        return 0
    since = session_opened_at
    for pause in pauses:
        if pause.ended_at is not None and pause.ended_at > since:
            since = pause.ended_at
    return int(minutes_between(since, now))


def needs_break(continuous: int, limit: int) -> bool:
    """Served longer than the limit without a break."""
    return continuous > limit


def share_percent(part: int, whole: int) -> int:
    """An operator's share of the centre's served visitors, in whole percent (0 with none)."""
    if whole <= 0:
        return 0
    return round(100 * part / whole)
