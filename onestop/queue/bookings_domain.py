"""Bookings, pure: the slots of a day, how many of them the booking service may fill, the per-IIN
quotas and the check-in window. No ORM, so the rules are tested on their own."""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.centres.domain import DayHours

# No 0/O, 1/I/L: a code read aloud on the phone or typed at a kiosk is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


# A booking in these states holds its seat in the slot; cancelled and missed ones free it.
HOLDING = frozenset({BookingStatus.BOOKED, BookingStatus.CHECKED_IN})
# A booking in these states counts towards the person's quota: a missed one still does.
COUNTED = frozenset({BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.MISSED})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch not in " -")[: CODE_LENGTH * 2]


def slot_starts(day: date, hours: DayHours | None, minutes: int, tz: ZoneInfo) -> list[datetime]:
    """Every start, `minutes` apart from opening, of a slot that ends by closing time."""
    if hours is None or minutes <= 0:
        return []
    opens, closes = hours.interval_on(day)
    step = timedelta(minutes=minutes)
    starts: list[datetime] = []
    moment = opens
    while moment + step <= closes:
        starts.append(moment.replace(tzinfo=tz))
        moment += step
    return starts


def capacity(windows: int, share: float) -> int:
    """Seats per slot for bookings: a share of the windows serving the service, at least one
    when any window serves it, never more than all of them; the rest is left to walk-ins."""
    if windows <= 0:
        return 0
    return min(windows, max(1, math.floor(windows * share)))


@dataclass(frozen=True)
class Slot:
    start: datetime
    free: int


def open_slots(
    starts: Iterable[datetime], taken: Mapping[datetime, int], seats: int, now: datetime
) -> list[Slot]:
    """The slots still offered: in the future and with a free seat."""
    slots = []
    for start in starts:
        free = seats - taken.get(start, 0)
        if start > now and free > 0:
            slots.append(Slot(start=start, free=free))
    return slots


@dataclass(frozen=True)
class Quota:
    days_between: int  # one booked day per this many days
    services_per_day: int  # bookings on that one day


def quota_problem(booked_days: Iterable[date], day: date, quota: Quota) -> str | None:
    """Why one more booking on `day` breaks the quota, given the days of the person's counted
    bookings (one entry per booking), or None when it is allowed."""
    days = list(booked_days)
    if sum(1 for d in days if d == day) >= quota.services_per_day:
        return "services_per_day"
    if any(d != day and abs((d - day).days) < quota.days_between for d in days):
        return "days_between"
    return None


def check_in_problem(
    now: datetime, slot_at: datetime, *, early: timedelta, late: timedelta
) -> str | None:
    """ "too_early" or "too_late" outside [slot - early, slot + late], else None."""
    if now < slot_at - early:
        return "too_early"
    if now > slot_at + late:
        return "too_late"
    return None
