"""Writes of the planner: a centre's wait targets and the plan saved for a day. Each one
transaction with its audit entry; callers check `access.check_may_plan` first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit import services as audit
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.events import services as events
from onestop.planning import domain
from onestop.planning.models import StaffingPlan, StaffingTargets
from onestop.planning.scenario import Group


def _raise_first(problems: Sequence[domain.Problem]) -> None:
    if problems:
        first = problems[0]
        raise InvalidInput(first.message, code=first.code, **first.params)


def _write_targets(
    centre: Centre, targets: Mapping[Group, int], actor: User | None
) -> StaffingTargets:
    values = {domain.TARGET_FIELDS[group]: int(targets[group]) for group in Group}
    found, created = StaffingTargets.objects.select_for_update().get_or_create(
        centre=centre, defaults={**values, "updated_by": actor, "updated_at": clock.now()}
    )
    if not created:
        for name, value in values.items():
            setattr(found, name, value)
        found.updated_by, found.updated_at = actor, clock.now()
        found.save()
    audit.record(
        actor=actor,
        action="planning.targets_set",
        target=found,
        data={"centre": centre.code, **values},
    )
    events.publish(
        topic="planning.targets_set",
        payload={"centre": centre.code, **values},
        centre_code=centre.code,
    )
    return found


def save_targets(
    *, centre: Centre, targets: Mapping[Group, int], actor: User | None
) -> StaffingTargets:
    """Set the centre's p95 wait targets (whole minutes, 1–240, one for each group)."""
    _raise_first(domain.target_problems(targets))
    with transaction.atomic():
        return _write_targets(centre, targets, actor)


def save_plan(
    *,
    centre: Centre,
    day: date,
    hours: Sequence[domain.HourPlan],
    starts: Sequence[str],
    window_count: int,
    max_arrivals: int,
    note: str = "",
    targets: Mapping[Group, int] | None = None,
    actor: User | None,
) -> StaffingPlan:
    """Keep the plan for the centre's `day` (replacing the one saved before): per opening
    hour starting at `starts`, the arrivals planned for, the windows open (0 to
    `window_count`) and the minutes of breaks (at most 60 per open window). With `targets`,
    the centre's targets are set in the same transaction."""
    _raise_first(
        domain.plan_problems(
            hours, starts=starts, window_count=window_count, max_arrivals=max_arrivals
        )
    )
    if targets is not None:
        _raise_first(domain.target_problems(targets))
    note = note.strip()
    if len(note) > domain.NOTE_MAX:
        raise InvalidInput(
            _("The note is too long (at most %(max)s characters)."),
            code="note_too_long",
            max=domain.NOTE_MAX,
        )
    rows = [hour.as_json(start) for hour, start in zip(hours, starts, strict=True)]
    with transaction.atomic():
        plan, _created = StaffingPlan.objects.update_or_create(
            centre=centre,
            date=day,
            defaults={"hours": rows, "note": note, "saved_by": actor, "saved_at": clock.now()},
        )
        summary = {
            "centre": centre.code,
            "date": day.isoformat(),
            "windows": [row["windows"] for row in rows],
            "break_minutes": [row["break_minutes"] for row in rows],
        }
        audit.record(
            actor=actor,
            action="planning.plan_saved",
            target=plan,
            data={**summary, "arrivals": [row["arrivals"] for row in rows]},
        )
        events.publish(topic="planning.plan_saved", payload=summary, centre_code=centre.code)
        if targets is not None:
            _write_targets(centre, targets, actor)
    return plan
