"""Opening hours and window states. Pure rules, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class CentreLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    VILLAGE = "village", _("Village")


class WindowState(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class DeviceKind(models.TextChoices):
    KIOSK = "kiosk", _("Ticket kiosk")
    BOARD = "board", _("Display board")
    TABLET = "tablet", _("Feedback tablet")


@dataclass(frozen=True)
class DayHours:
    """Hours of one local day. `closes` of 00:00 means midnight at the end of the day, so
    00:00–00:00 is around the clock."""

    opens: time
    closes: time

    @property
    def closes_at_midnight(self) -> bool:
        return self.closes == time(0, 0)

    def interval_on(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.opens)
        end_day = day + timedelta(days=1) if self.closes_at_midnight else day
        return start, datetime.combine(end_day, self.closes)

    def is_open_at(self, moment: time) -> bool:
        if moment < self.opens:
            return False
        return self.closes_at_midnight or moment < self.closes


def valid_hours(opens: time, closes: time) -> bool:
    return closes == time(0, 0) or closes > opens


def hours_on(
    day: date,
    weekly: dict[int, DayHours],
    exceptions: dict[date, DayHours | None],
) -> DayHours | None:
    """The hours that apply on `day`: a dated exception (None = closed) beats the weekly rule."""
    if day in exceptions:
        return exceptions[day]
    return weekly.get(day.weekday())
