"""What the planning page shows, built from a day's scenario: the recommendation for the
arrivals and targets in the form, the edited (or saved) plan simulated on the same visitors,
each group's verdict, a row per hour, what the edits cost in words, and the two charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.planning import chart, domain, selectors
from onestop.planning.recommend import DEFAULT_REPLICATIONS, Recommendation, cached_recommendation
from onestop.planning.scenario import Group, Scenario, Targets
from onestop.planning.summary import GroupSummary, Summary, replicate

SEED = 1
REPLICATIONS = DEFAULT_REPLICATIONS
NOTICEABLE_MINUTES = 0.5  # a change of a p95 wait smaller than this is not worth a sentence


@dataclass(frozen=True)
class Day:
    """The day a page plans: its scenario (every window open, the forecast arrivals)."""

    scenario: Scenario
    starts: tuple[str, ...]
    forecast: tuple[float, ...]

    @property
    def window_count(self) -> int:
        return len(self.scenario.windows)

    @property
    def max_arrivals(self) -> int:
        return domain.arrivals_limit(self.scenario)

    def recommended_hours(self, recommendation: Recommendation) -> tuple[domain.HourPlan, ...]:
        return tuple(
            domain.HourPlan(arrivals=period.arrivals, windows=len(period.windows))
            for period in recommendation.plan.periods
        )


def day_of(scenario: Scenario) -> Day:
    return Day(
        scenario=scenario,
        starts=tuple(start.strftime("%H:%M") for start in scenario.period_starts()),
        forecast=tuple(period.arrivals for period in scenario.periods),
    )


def recommend_for(day: Day, *, arrivals: Sequence[float], targets: Targets) -> Recommendation:
    """The fewest windows per hour for these arrivals and targets (remembered per process)."""
    demand = replace(day.scenario.with_arrivals(list(arrivals)), targets=targets)
    return cached_recommendation(demand, seed=SEED, replications=REPLICATIONS)


def simulate_plan(
    day: Day, *, order: Sequence[int], hours: Sequence[domain.HourPlan], targets: Targets
) -> Summary:
    """The plan's simulated days: the same seed, so the same visitors as the recommendation
    met when the arrivals are the same."""
    scenario = selectors.plan_scenario(day.scenario, order=order, hours=hours, targets=targets)
    return replicate(scenario, seed=SEED, replications=REPLICATIONS)


def form_values(day: Day, *, hours: Sequence[domain.HourPlan], targets: Targets) -> dict[str, str]:
    """The form's boxes filled with a plan."""
    values: dict[str, str] = {}
    for index, hour in enumerate(hours):
        arrivals, windows, breaks = domain.field_names(index)
        values[arrivals] = domain.format_arrivals(hour.arrivals)
        values[windows] = str(hour.windows)
        values[breaks] = str(hour.break_minutes)
    for group in Group:
        values[domain.target_field(group)] = f"{targets.for_group(group):g}"
    return values


def minutes(value: float | None) -> str:
    """A wait as the page shows it: one decimal under ten minutes, whole minutes above."""
    if value is None:
        return "—"
    return number_format(round(value, 1) if value < 10 else round(value), 1 if value < 10 else 0)


def arrivals_text(value: float) -> str:
    """Arrivals as the page's text shows them, in the language's number format."""
    rounded = round(value, 1)
    return number_format(rounded, 0 if rounded.is_integer() else 1)


@dataclass(frozen=True)
class Outcome:
    p50: str
    p95: str
    met: bool
    unserved: int

    @classmethod
    def of(cls, summary: GroupSummary) -> Outcome:
        if not summary.served:  # nobody of the group came: no wait to speak of
            return cls("—", "—", summary.met, round(summary.unserved))
        return cls(minutes(summary.p50), minutes(summary.p95), summary.met, round(summary.unserved))


@dataclass(frozen=True)
class Verdict:
    group: str
    label: str
    target: str
    recommended: Outcome
    planned: Outcome | None


@dataclass(frozen=True)
class Cell:
    name: str
    value: str
    invalid: bool


@dataclass(frozen=True)
class TargetBox:
    group: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class HourRow:
    index: int
    start: str
    forecast: str
    recommended_windows: int
    recommended_numbers: str
    recommended_p95: tuple[tuple[str, str], ...]  # (group, minutes)
    recommended_met: bool
    reachable: bool
    arrivals: Cell
    windows: Cell
    breaks: Cell
    planned_numbers: str = ""
    planned_p95: tuple[tuple[str, str], ...] = ()
    planned_met: bool | None = None


@dataclass(frozen=True)
class LegendRow:
    numbers: str
    services: tuple[str, ...]


@dataclass
class Page:
    rows: list[HourRow]
    verdicts: list[Verdict]
    targets: list[TargetBox]
    differences: list[str]
    legend: list[LegendRow]
    load_chart: chart.Chart
    wait_chart: chart.Chart
    recommended_window_hours: int
    planned_window_hours: int | None
    planned: bool
    met: bool
    planned_met: bool | None
    window_count: int
    seed: int = SEED
    replications: int = REPLICATIONS
    groups: list[tuple[str, str]] = field(default_factory=list)


def _group_sentence(group: Group, before: float, after: float) -> dict[str, str]:
    return {"group": str(group.label).lower(), "before": minutes(before), "after": minutes(after)}


def differences(
    day: Day,
    *,
    recommendation: Recommendation,
    plan: Summary,
    hours: Sequence[domain.HourPlan],
) -> list[str]:
    """Per hour where the plan opens other windows than recommended or takes breaks, what
    that does to the p95 wait of the group it changes most, in a sentence."""
    found: list[str] = []
    recommended = recommendation.windows_per_hour
    for index, (start, hour) in enumerate(zip(day.starts, hours, strict=True)):
        delta = hour.windows - recommended[index]
        changes: list[str] = []
        if delta < 0:
            changes.append(
                ngettext("closing %(count)s window", "closing %(count)s windows", -delta)
                % {"count": -delta}
            )
        elif delta > 0:
            changes.append(
                ngettext("opening %(count)s more window", "opening %(count)s more windows", delta)
                % {"count": delta}
            )
        if hour.break_minutes:
            changes.append(_("%(minutes)s min of breaks") % {"minutes": hour.break_minutes})
        if not changes:
            continue
        change = (
            changes[0]
            if len(changes) == 1
            else _("%(first)s and %(second)s") % {"first": changes[0], "second": changes[1]}
        )
        before_hour = recommendation.summary.hours[index].p95
        after_hour = plan.hours[index].p95
        shifts: list[tuple[float, Group, float, float]] = []
        for group in Group:
            before, after = before_hour[group], after_hour[group]
            if before is not None and after is not None:
                shifts.append((abs(after - before), group, before, after))
        biggest = max(shifts, key=lambda s: s[0], default=None)
        if biggest is None or biggest[0] < NOTICEABLE_MINUTES:
            found.append(
                _(
                    "At %(time)s, %(change)s keeps every group's p95 wait within half a minute "
                    "of the recommended plan's."
                )
                % {"time": start, "change": change}
            )
            continue
        _shift, group, before, after = biggest
        found.append(
            _(
                "At %(time)s, %(change)s takes the p95 wait of %(group)s from %(before)s "
                "to %(after)s min."
            )
            % {"time": start, "change": change, **_group_sentence(group, before, after)}
        )
    return found


def legend(day: Day) -> list[LegendRow]:
    """The windows grouped by the services they serve, each group with the services' names."""
    names = selectors.service_names(code for w in day.scenario.windows for code in w.services)
    by_services: dict[frozenset[str], list[int]] = {}
    for window in day.scenario.windows:
        by_services.setdefault(window.services, []).append(window.number)
    return [
        LegendRow(
            numbers=domain.number_ranges(numbers),
            services=tuple(sorted(names[code] for code in services)),
        )
        for services, numbers in sorted(by_services.items(), key=lambda item: min(item[1]))
    ]


def _cell(form: Mapping[str, str], invalid: set[str], name: str) -> Cell:
    return Cell(name=name, value=form.get(name, ""), invalid=name in invalid)


def _p95s(summary: Summary, index: int) -> tuple[tuple[str, str], ...]:
    return tuple((group.value, minutes(summary.hours[index].p95[group])) for group in Group)


def build(
    day: Day,
    *,
    recommendation: Recommendation,
    form: Mapping[str, str],
    invalid: set[str] | None = None,
    plan: tuple[Sequence[domain.HourPlan], Summary] | None = None,
) -> Page:
    """The page: `form` holds the boxes' text (as typed, or as a plan fills them), `plan`
    the edited or saved plan with its simulated days when there is one to show."""
    invalid = invalid or set()
    order = recommendation.order
    rec = recommendation.summary
    rows: list[HourRow] = []
    for index, start in enumerate(day.starts):
        recommended = recommendation.windows_per_hour[index]
        names = domain.field_names(index)
        row = HourRow(
            index=index,
            start=start,
            forecast=arrivals_text(day.forecast[index]),
            recommended_windows=recommended,
            recommended_numbers=domain.number_ranges(order[:recommended]),
            recommended_p95=_p95s(rec, index),
            recommended_met=rec.hours[index].met,
            reachable=recommendation.reachable[index],
            arrivals=_cell(form, invalid, names[0]),
            windows=_cell(form, invalid, names[1]),
            breaks=_cell(form, invalid, names[2]),
        )
        if plan is not None:
            hours, summary = plan
            row = replace(
                row,
                planned_numbers=domain.number_ranges(order[: hours[index].windows]),
                planned_p95=_p95s(summary, index),
                planned_met=summary.hours[index].met,
            )
        rows.append(row)
    targets = rec.scenario.targets
    verdicts = [
        Verdict(
            group=group.value,
            label=str(group.label),
            target=number_format(targets.for_group(group), 0),
            recommended=Outcome.of(rec.groups[group]),
            planned=Outcome.of(plan[1].groups[group]) if plan is not None else None,
        )
        for group in Group
    ]
    shown = plan[1] if plan is not None else rec
    return Page(
        rows=rows,
        verdicts=verdicts,
        targets=[
            TargetBox(
                group.value, str(group.label), _cell(form, invalid, domain.target_field(group))
            )
            for group in Group
        ],
        differences=(
            differences(day, recommendation=recommendation, plan=plan[1], hours=plan[0])
            if plan is not None
            else []
        ),
        legend=legend(day),
        load_chart=chart.load_chart(
            starts=day.starts,
            arrivals=[p.arrivals for p in shown.scenario.periods],
            recommended=recommendation.windows_per_hour,
            planned=[hour.windows for hour in plan[0]] if plan is not None else None,
            window_count=day.window_count,
        ),
        wait_chart=chart.wait_chart(
            starts=day.starts,
            p95={group: [hour.p95[group] for hour in shown.hours] for group in Group},
            targets={group: targets.for_group(group) for group in Group},
        ),
        recommended_window_hours=sum(recommendation.windows_per_hour),
        planned_window_hours=sum(h.windows for h in plan[0]) if plan is not None else None,
        planned=plan is not None,
        met=rec.met,
        planned_met=plan[1].met if plan is not None else None,
        window_count=day.window_count,
        groups=[(group.value, str(group.label)) for group in Group],
    )
