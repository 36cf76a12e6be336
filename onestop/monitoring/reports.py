"""Reports of the Situational Centre: the aggregate tables grouped by period (day, ISO week
starting on Monday, month) and by one dimension (centre, service, department), within a scope
(the country, one region, one centre). Reads the aggregates only, never the history.

A department dimension carries the back-office and complaint columns only: the hall's
queue and the ratings belong to centres and services, not to the department that decides."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from django.db.models import Model, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import Department, Service
from onestop.centres.models import Centre, Region
from onestop.core.errors import OneStopError
from onestop.monitoring.models import CaseDay, ComplaintDay, QueueDay, RatingDay
from onestop.monitoring.selectors import CRITERIA

PERIODS = ("day", "week", "month")
DIMENSIONS = ("centre", "service", "department")
MAX_DAYS = 366


class BadReport(OneStopError):
    """A report asked for in a way that cannot be answered (bad period, dimension, dates)."""

    status = 400
    default_code = "invalid_report"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str  # "int" | "minutes" (one decimal) | "percent" (a share 0..1) | "score"


COLUMNS = (
    Column("issued", _("Tickets issued"), "int"),
    Column("served", _("Served"), "int"),
    Column("no_shows", _("No-shows"), "int"),
    Column("avg_wait_minutes", _("Average wait, minutes"), "minutes"),
    Column("waits_over_target", _("Waits over target"), "int"),
    Column("avg_handle_minutes", _("Average handling, minutes"), "minutes"),
    Column("decided", _("Decided"), "int"),
    Column("decided_on_time_share", _("Decided on time"), "percent"),
    Column("ratings", _("Ratings"), "int"),
    Column("avg_score", _("Satisfaction (1–5)"), "score"),
    Column("complaints", _("Complaints"), "int"),
)
_BY_KEY = {c.key: c for c in COLUMNS}
DIMENSION_COLUMNS = {
    "centre": tuple(c.key for c in COLUMNS),
    "service": tuple(c.key for c in COLUMNS if c.key != "complaints"),
    "department": ("decided", "decided_on_time_share", "complaints"),
}
# The one column a chart shows for each dimension.
KEY_COLUMN = {"centre": "served", "service": "served", "department": "decided"}


@dataclass
class Figures:
    """Sums over any set of aggregate rows; averages and shares are worked out from them."""

    issued: int = 0
    served: int = 0
    no_shows: int = 0
    waits: int = 0
    wait_seconds: int = 0
    waits_over_target: int = 0
    handled: int = 0
    handle_seconds: int = 0
    decided: int = 0
    decided_on_time: int = 0
    ratings: int = 0
    score_sum: int = 0  # every criterion of every rating added up
    complaints: int = 0

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def avg_wait_minutes(self) -> float | None:
        return round(self.wait_seconds / self.waits / 60, 1) if self.waits else None

    @property
    def avg_handle_minutes(self) -> float | None:
        return round(self.handle_seconds / self.handled / 60, 1) if self.handled else None

    @property
    def decided_on_time_share(self) -> float | None:
        return round(self.decided_on_time / self.decided, 3) if self.decided else None

    @property
    def avg_score(self) -> float | None:
        count = self.ratings * len(CRITERIA)
        return round(self.score_sum / count, 2) if count else None

    def value(self, key: str) -> int | float | None:
        if key not in _BY_KEY:
            raise KeyError(key)
        result: int | float | None = getattr(self, key)
        return result


@dataclass(frozen=True)
class Scope:
    """Where a report looks: one centre, one region, or (both None) the whole country."""

    region: Region | None = None
    centre: Centre | None = None

    def filters(self, prefix: str = "") -> dict[str, Any]:
        if self.centre is not None:
            return {f"{prefix}centre": self.centre}
        if self.region is not None:
            return {f"{prefix}centre__region": self.region}
        return {}

    @property
    def label(self) -> str:
        if self.centre is not None:
            return f"{self.centre.code} — {self.centre.name}"
        if self.region is not None:
            return self.region.name
        return str(_("The whole country"))


@dataclass(frozen=True)
class ReportRow:
    period_start: date
    period: str  # 2026-12-02 | 2026-W49 | 2026-12
    code: str
    name: str
    figures: Figures

    def value(self, key: str) -> int | float | None:
        return self.figures.value(key)


@dataclass(frozen=True)
class Report:
    kind: str
    dimension: str
    start: date
    end: date
    scope: Scope
    rows: list[ReportRow]
    totals: Figures = field(default_factory=Figures)

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(_BY_KEY[key] for key in DIMENSION_COLUMNS[self.dimension])

    @property
    def key_column(self) -> Column:
        return _BY_KEY[KEY_COLUMN[self.dimension]]

    def period_totals(self) -> list[tuple[str, Figures]]:
        """The rows added up per period, oldest first (what a chart over time shows)."""
        out: dict[str, Figures] = {}
        for row in self.rows:
            out.setdefault(row.period, Figures()).add(row.figures)
        return list(out.items())

    def as_dict(self) -> dict[str, Any]:
        keys = DIMENSION_COLUMNS[self.dimension]
        return {
            "period": self.kind,
            "by": self.dimension,
            "start": self.start,
            "end": self.end,
            "region": self.scope.region.code if self.scope.region is not None else None,
            "centre": self.scope.centre.code if self.scope.centre is not None else None,
            "columns": list(keys),
            "rows": [
                {
                    "period": row.period,
                    "period_start": row.period_start,
                    "code": row.code,
                    "name": row.name,
                    **{key: row.value(key) for key in keys},
                }
                for row in self.rows
            ],
            "totals": {key: self.totals.value(key) for key in keys},
        }


def period_start(kind: str, day: date) -> date:
    """The first day of the day's period: itself, the Monday of its ISO week, the 1st."""
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    return day


def period_label(kind: str, first: date) -> str:
    if kind == "week":
        year, week, _weekday = first.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return f"{first.year}-{first.month:02d}"
    return first.isoformat()


def check_request(kind: str, dimension: str, start: date, end: date) -> None:
    if kind not in PERIODS:
        raise BadReport(_("Choose the period: day, week or month."), code="invalid_period_kind")
    if dimension not in DIMENSIONS:
        raise BadReport(
            _("Choose the grouping: centre, service or department."), code="invalid_dimension"
        )
    if start > end or (end - start).days >= MAX_DAYS:
        raise BadReport(_("Choose a period of one day to one year."), code="invalid_period")


def _sums(
    model: type[Model], group: tuple[str, ...], names: tuple[str, ...], **filters: Any
) -> Any:
    query: QuerySet[Any] = model._default_manager.filter(**filters)
    return query.values(*group).annotate(**{f"s_{name}": Sum(name) for name in names})


QUEUE = (
    "issued",
    "served",
    "no_shows",
    "waits",
    "wait_seconds",
    "waits_over_target",
    "handled",
    "handle_seconds",
)


def build(*, kind: str, dimension: str, start: date, end: date, scope: Scope) -> Report:
    """The report: one row per period and member of the dimension that has any figure."""
    check_request(kind, dimension, start, end)
    days = {"day__gte": start, "day__lte": end}
    member = {"centre": "centre_id", "service": "service_id", "department": "department_id"}[
        dimension
    ]
    cells: dict[tuple[date, int], Figures] = {}

    def fold(rows: Any, put: Callable[[Figures, dict[str, Any]], None]) -> None:
        for row in rows:
            if row[member] is None:
                continue  # e.g. a rating not tied to a service, a complaint about a centre
            key = (period_start(kind, row["day"]), row[member])
            put(cells.setdefault(key, Figures()), row)

    def queue(target: Figures, row: dict[str, Any]) -> None:
        for name in QUEUE:
            setattr(target, name, getattr(target, name) + int(row[f"s_{name}"] or 0))

    def cases(target: Figures, row: dict[str, Any]) -> None:
        target.decided += int(row["s_decided"] or 0)
        target.decided_on_time += int(row["s_decided_on_time"] or 0)

    def ratings(target: Figures, row: dict[str, Any]) -> None:
        target.ratings += int(row["s_ratings"] or 0)
        target.score_sum += sum(int(row[f"s_{name}"] or 0) for name in CRITERIA)

    def complaints(target: Figures, row: dict[str, Any]) -> None:
        target.complaints += int(row["s_registered"] or 0)

    group = ("day", member)
    filters = {**days, **scope.filters()}
    if dimension != "department":
        fold(_sums(QueueDay, group, QUEUE, **filters), queue)
        fold(_sums(RatingDay, group, ("ratings", *CRITERIA), **filters), ratings)
    fold(_sums(CaseDay, group, ("decided", "decided_on_time"), **filters), cases)
    if dimension != "service":
        fold(_sums(ComplaintDay, group, ("registered",), **filters), complaints)

    names = _names(dimension, {key[1] for key in cells})
    rows = [
        ReportRow(
            period_start=first,
            period=period_label(kind, first),
            code=names[pk][0],
            name=names[pk][1],
            figures=figures,
        )
        for (first, pk), figures in cells.items()
    ]
    rows.sort(key=lambda r: (r.period_start, r.code))
    totals = Figures()
    for row in rows:
        totals.add(row.figures)
    return Report(kind, dimension, start, end, scope, rows, totals)


def _names(dimension: str, pks: set[int]) -> dict[int, tuple[str, str]]:
    objects: QuerySet[Any]
    if dimension == "centre":
        objects = Centre.objects.filter(pk__in=pks)
    elif dimension == "service":
        objects = Service.objects.filter(pk__in=pks)
    else:
        objects = Department.objects.filter(pk__in=pks)
    return {obj.pk: (obj.code, obj.name) for obj in objects}


@dataclass(frozen=True)
class CentreMonth:
    """One centre's month for the printed monthly report."""

    centre: Centre
    first: date
    last: date
    totals: Figures
    served_by_day: list[tuple[date, int]]  # every day of the month, zeros included
    criteria: dict[str, float | None]  # average per rating criterion
    low_ratings: int
    complaints_answered: int
    complaints_answered_on_time: int


def centre_month(centre: Centre, *, year: int, month: int) -> CentreMonth:
    first = date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    report = build(
        kind="day", dimension="centre", start=first, end=last, scope=Scope(centre=centre)
    )
    served = {row.period_start: row.figures.served for row in report.rows}
    days = [first + timedelta(days=n) for n in range(last.day)]
    where = {"centre": centre, "day__gte": first, "day__lte": last}
    rated = RatingDay.objects.filter(**where).aggregate(
        **{name: Sum(name) for name in ("ratings", "low", *CRITERIA)}
    )
    count = int(rated["ratings"] or 0)
    answered = ComplaintDay.objects.filter(**where).aggregate(
        answered=Sum("answered"), on_time=Sum("answered_on_time")
    )
    return CentreMonth(
        centre=centre,
        first=first,
        last=last,
        totals=report.totals,
        served_by_day=[(day, served.get(day, 0)) for day in days],
        criteria={
            name: round(int(rated[name] or 0) / count, 2) if count else None for name in CRITERIA
        },
        low_ratings=int(rated["low"] or 0),
        complaints_answered=int(answered["answered"] or 0),
        complaints_answered_on_time=int(answered["on_time"] or 0),
    )


def parse_month(raw: str) -> tuple[int, int]:
    """`2026-12` as (2026, 12); anything else is refused."""
    try:
        year_text, month_text = raw.split("-")
        year, month = int(year_text), int(month_text)
        date(year, month, 1)
    except ValueError:
        raise BadReport(_("Name the month as YYYY-MM."), code="invalid_month") from None
    if len(year_text) != 4 or len(month_text) != 2:
        raise BadReport(_("Name the month as YYYY-MM."), code="invalid_month")
    return year, month
