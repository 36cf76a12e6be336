"""The rules of a staffing plan a manager edits on the planning page, pure (no ORM): what the
form's fields mean, what a valid plan is, and how break minutes become breaks."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.planning.scenario import Break, Group, Scenario, Targets

TARGET_MIN = 1  # minutes
TARGET_MAX = 240
BREAK_MINUTES = 30  # a break is half an hour (the last one of an hour may be shorter)
OVERLOAD = 1.5  # arrivals an hour may be planned for, as a multiple of every window's capacity
NOTE_MAX = 2000
TARGET_FIELDS = {
    Group.WALK_IN: "walk_in_minutes",
    Group.BOOKED: "booked_minutes",
    Group.PRIORITY: "priority_minutes",
}


@dataclass(frozen=True)
class HourPlan:
    """One opening hour of a plan: the arrivals planned for, the windows open, the minutes
    of breaks taken at those windows."""

    arrivals: float
    windows: int
    break_minutes: int = 0

    def as_json(self, start: str) -> dict[str, Any]:
        return {
            "start": start,
            "arrivals": self.arrivals,
            "windows": self.windows,
            "break_minutes": self.break_minutes,
        }


@dataclass(frozen=True)
class PlanEdit:
    hours: tuple[HourPlan, ...]
    targets: Targets


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of the form, in words the page and the API can show."""

    box: str  # the name of the form field it concerns
    code: str
    message: str | Promise
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


def arrivals_limit(scenario: Scenario) -> int:
    """The most arrivals an hour may be planned for: one and a half times what every window
    together serves in an hour. Beyond it no plan helps, and simulating it costs minutes."""
    handling = scenario.mean_handling_minutes() or 1.0
    return max(10, math.ceil(OVERLOAD * len(scenario.windows) * 60 / handling))


def format_arrivals(value: float) -> str:
    """Arrivals as the form shows them: one decimal, none when whole ("57.7", "12")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _number(text: str) -> float | None:
    cleaned = text.strip().replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _whole(text: str) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value.is_integer() else None


def field_names(index: int) -> tuple[str, str, str]:
    return f"arrivals-{index}", f"windows-{index}", f"breaks-{index}"


def target_field(group: Group) -> str:
    return f"target-{group.value}"


def _hour_problems(
    names: Sequence[str],
    start: str,
    values: tuple[float | None, int | None, int | None],
    *,
    window_count: int,
    max_arrivals: int,
) -> list[Problem]:
    arrivals, windows, breaks = values
    found: list[Problem] = []
    if arrivals is None or not 0 <= arrivals <= max_arrivals:
        found.append(
            Problem(
                names[0],
                "invalid_arrivals",
                _("Arrivals at %(time)s: give a number from 0 to %(max)s."),
                {"time": start, "max": max_arrivals},
            )
        )
    if windows is None or not 0 <= windows <= window_count:
        found.append(
            Problem(
                names[1],
                "invalid_windows",
                _("Windows at %(time)s: give a whole number from 0 to %(max)s."),
                {"time": start, "max": window_count},
            )
        )
    most = 60 * min(max(windows or 0, 0), window_count)
    if breaks is None or not 0 <= breaks <= most:
        found.append(
            Problem(
                names[2],
                "invalid_breaks",
                _(
                    "Break minutes at %(time)s: give a whole number from 0 to %(max)s "
                    "(at most 60 for each open window)."
                ),
                {"time": start, "max": most},
            )
        )
    return found


def _target_problems(values: Mapping[Group, int | None]) -> list[Problem]:
    return [
        Problem(
            target_field(group),
            "invalid_target",
            _("Target for %(group)s: give a whole number of minutes from %(min)s to %(max)s."),
            {"group": group.label, "min": TARGET_MIN, "max": TARGET_MAX},
        )
        for group, value in values.items()
        if value is None or not TARGET_MIN <= value <= TARGET_MAX
    ]


def parse_edit(
    data: Mapping[str, str],
    *,
    starts: Sequence[str],
    base_arrivals: Sequence[float],
    window_count: int,
    max_arrivals: int,
) -> tuple[PlanEdit | None, list[Problem]]:
    """The plan a submitted form describes, or the problems of each field. An arrivals box
    left as shown keeps the forecast's exact value (the form rounds it to one decimal)."""
    problems: list[Problem] = []
    hours: list[HourPlan] = []
    for index, start in enumerate(starts):
        names = field_names(index)
        raw = [str(data.get(name, "")).strip() for name in names]
        base = base_arrivals[index]
        arrivals = base if raw[0] == format_arrivals(base) else _number(raw[0])
        values = (arrivals, _whole(raw[1]), _whole(raw[2] or "0"))
        found = _hour_problems(
            names, start, values, window_count=window_count, max_arrivals=max_arrivals
        )
        problems.extend(found)
        if not found:
            hours.append(HourPlan(float(values[0] or 0), values[1] or 0, values[2] or 0))
    targets = {group: _whole(str(data.get(target_field(group), ""))) for group in Group}
    problems.extend(_target_problems(targets))
    if problems:
        return None, problems
    edit = PlanEdit(
        hours=tuple(hours),
        targets=Targets(
            walk_in=float(targets[Group.WALK_IN] or 0),
            booked=float(targets[Group.BOOKED] or 0),
            priority=float(targets[Group.PRIORITY] or 0),
        ),
    )
    return edit, []


def plan_problems(
    hours: Sequence[HourPlan], *, starts: Sequence[str], window_count: int, max_arrivals: int
) -> list[Problem]:
    """What makes a plan impossible to keep for a day whose opening hours start at `starts`
    at a centre of `window_count` windows (the same limits as the form's)."""
    if len(hours) != len(starts):
        return [
            Problem(
                "hours",
                "invalid_plan",
                _("The plan must give one row for each of the day's %(count)s opening hours."),
                {"count": len(starts)},
            )
        ]
    problems: list[Problem] = []
    for index, (hour, start) in enumerate(zip(hours, starts, strict=True)):
        arrivals = hour.arrivals if math.isfinite(hour.arrivals) else None
        problems.extend(
            _hour_problems(
                field_names(index),
                start,
                (arrivals, hour.windows, hour.break_minutes),
                window_count=window_count,
                max_arrivals=max_arrivals,
            )
        )
    return problems


def target_problems(targets: Mapping[Group, int]) -> list[Problem]:
    return _target_problems({group: targets.get(group) for group in Group})


def staggered_breaks(
    *,
    period_starts: Sequence[float],
    open_windows: Sequence[Sequence[int]],
    break_minutes: Sequence[int],
) -> tuple[Break, ...]:
    """An hour's break minutes as breaks of 30 minutes (the last may be shorter) at the
    windows open in it, staggered so that half of them start on the hour and half at
    half past, never two at one window at once: break i goes to window i mod n, in the
    half (i mod n + i div n) mod 2 of the hour."""
    breaks: list[Break] = []
    for start, windows, minutes in zip(period_starts, open_windows, break_minutes, strict=True):
        if not windows or minutes <= 0:
            continue
        count = math.ceil(minutes / BREAK_MINUTES)
        for index in range(count):
            length = min(BREAK_MINUTES, minutes - index * BREAK_MINUTES)
            slot, round_ = index % len(windows), index // len(windows)
            half = (slot + round_) % 2
            breaks.append(
                Break(
                    window=windows[slot],
                    start_minute=start + half * BREAK_MINUTES,
                    minutes=float(length),
                )
            )
    return tuple(breaks)


def number_ranges(numbers: Sequence[int]) -> str:
    """Window numbers as ranges: (1, 2, 3, 5, 23, 24) → "1–3, 5, 23–24"."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    index = 0
    while index < len(ordered):
        end = index
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[index], ordered[end]
        parts.append(str(first) if first == last else f"{first}–{last}")
        index = end + 1
    return ", ".join(parts)
