"""Alerts of the Situational Centre, pure: what kinds there are, the thresholds that decide
them, the rules deciding from figures whether an alert condition holds, and the life of an
alert (raised → seen → resolved, or resolved by itself when the condition clears). No ORM."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    WAIT_OVER_TARGET = "wait_over_target", _("Wait above target")
    QUEUE_WITH_IDLE_WINDOWS = (
        "queue_idle_windows",
        _("Queue growing while windows are idle or paused"),
    )
    DEADLINES_AT_RISK = "deadlines_at_risk", _("Deadlines about to be missed")
    SATISFACTION_DROP = "satisfaction_drop", _("Fall in satisfaction")


# Kinds raised per department (the back office's deadlines); the others per centre.
DEPARTMENT_KINDS = frozenset({AlertKind.DEADLINES_AT_RISK})


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    SEEN = "seen", _("Seen")
    RESOLVED = "resolved", _("Resolved")


class AlertAction(models.TextChoices):
    SEE = "see", _("mark as seen")
    RESOLVE = "resolve", _("resolve")
    CLEAR = "clear", _("resolve by itself: the condition cleared")


S, A = AlertState, AlertAction

# (state, action) -> new state. Anything not listed is illegal and changes nothing.
TRANSITIONS: dict[tuple[AlertState, AlertAction], AlertState] = {
    (S.OPEN, A.SEE): S.SEEN,
    (S.OPEN, A.RESOLVE): S.RESOLVED,
    (S.OPEN, A.CLEAR): S.RESOLVED,
    (S.SEEN, A.RESOLVE): S.RESOLVED,
    (S.SEEN, A.CLEAR): S.RESOLVED,
}


def next_state(current: AlertState, action: AlertAction) -> AlertState | None:
    return TRANSITIONS.get((current, action))


def state_of(*, seen: bool, resolved: bool) -> AlertState:
    """An alert's state from its timestamps."""
    if resolved:
        return S.RESOLVED
    return S.SEEN if seen else S.OPEN


@dataclass(frozen=True)
class Thresholds:
    """What makes each kind of alert. Defaults are illustrative; an administrator sets the
    country's values per kind and may override them for one centre."""

    # Wait above target: raised for a service group when at least this many visitors have
    # waited past their service's target and the longest wait is this many minutes past it.
    wait_over_target_count: int = 1
    wait_over_target_minutes: int = 0
    # Queue growing while windows are idle or paused: at least this many waiting and at
    # least this many windows idle or paused.
    queue_waiting: int = 5
    queue_idle_windows: int = 1
    # Deadlines about to be missed: at least this many open applications of a department
    # with this many working days (or fewer) left.
    deadline_working_days: int = 1
    deadline_count: int = 1
    # A fall in satisfaction: this week's average (1–5) at least this much below the
    # previous weeks', with at least this many ratings in each.
    satisfaction_drop: float = 0.5
    satisfaction_min_ratings: int = 10
    satisfaction_weeks: int = 4

    def with_values(self, values: dict[str, Any]) -> Thresholds:
        """These thresholds with some values replaced (unknown names are ignored)."""
        known = {
            k: v for k, v in values.items() if k in self.__dataclass_fields__ and v is not None
        }
        return replace(self, **known)


# Which threshold fields belong to which kind (what an override row of that kind may set).
KIND_FIELDS: dict[AlertKind, tuple[str, ...]] = {
    AlertKind.WAIT_OVER_TARGET: ("wait_over_target_count", "wait_over_target_minutes"),
    AlertKind.QUEUE_WITH_IDLE_WINDOWS: ("queue_waiting", "queue_idle_windows"),
    AlertKind.DEADLINES_AT_RISK: ("deadline_working_days", "deadline_count"),
    AlertKind.SATISFACTION_DROP: (
        "satisfaction_drop",
        "satisfaction_min_ratings",
        "satisfaction_weeks",
    ),
}


@dataclass(frozen=True)
class GroupFigures:
    """One service group of the live view."""

    letter: str
    over_target: int
    longest_wait_minutes: int
    target_minutes: int


def wait_over_target(groups: list[GroupFigures], t: Thresholds) -> dict[str, Any] | None:
    """The groups whose waits are past target enough to alert, or None."""
    hit = [
        g
        for g in groups
        if g.over_target >= max(t.wait_over_target_count, 1)
        and g.longest_wait_minutes - g.target_minutes >= t.wait_over_target_minutes
    ]
    if not hit:
        return None
    return {
        "groups": [
            {
                "letter": g.letter,
                "over_target": g.over_target,
                "longest_wait_minutes": g.longest_wait_minutes,
                "target_minutes": g.target_minutes,
            }
            for g in hit
        ]
    }


def queue_with_idle_windows(
    *, waiting: int, idle: int, paused: int, t: Thresholds
) -> dict[str, Any] | None:
    """People waiting while windows stand idle or paused."""
    if waiting >= t.queue_waiting and idle + paused >= t.queue_idle_windows and idle + paused > 0:
        return {"waiting": waiting, "idle": idle, "paused": paused}
    return None


def deadlines_at_risk(at_risk: int, t: Thresholds) -> dict[str, Any] | None:
    """Open applications of a department close to their deadline."""
    if at_risk >= max(t.deadline_count, 1):
        return {"applications": at_risk, "working_days": t.deadline_working_days}
    return None


@dataclass(frozen=True)
class RatingSums:
    ratings: int
    points: int  # the sum of all five criteria over all ratings

    @property
    def average(self) -> float | None:
        return self.points / (5 * self.ratings) if self.ratings else None


def satisfaction_drop(
    *, this_week: RatingSums, before: RatingSums, t: Thresholds
) -> dict[str, Any] | None:
    """This week's average satisfaction against the previous weeks'."""
    if (
        this_week.ratings < t.satisfaction_min_ratings
        or before.ratings < t.satisfaction_min_ratings
    ):
        return None
    now, then = this_week.average, before.average
    assert now is not None and then is not None
    if then - now >= t.satisfaction_drop:
        return {
            "average": round(now, 2),
            "previous_average": round(then, 2),
            "ratings": this_week.ratings,
            "previous_ratings": before.ratings,
        }
    return None
