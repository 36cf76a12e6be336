"""Reads for the Situational Centre: sums over the aggregate tables, never over history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet, Sum

from onestop.catalog.models import Service
from onestop.centres.models import Centre, Region
from onestop.monitoring.models import CaseDay, CentreDay, ComplaintDay, QueueDay, RatingDay

SORT_KEYS = ("wait", "load", "breaches", "code")
CRITERIA = ("waiting", "speed", "politeness", "comfort", "information")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _mean(total: int, count: int, scale: float = 1.0) -> float | None:
    return round(total / count / scale, 1) if count else None


@dataclass(frozen=True)
class CentreRow:
    code: str
    name: str
    region: str
    region_name: str
    issued: int = 0
    served: int = 0
    no_shows: int = 0
    avg_wait_minutes: float | None = None
    waits_over_target: int = 0  # "breaches": served later than the service's target
    over_target_share: float | None = None
    avg_handle_minutes: float | None = None
    applications: int = 0
    decided: int = 0
    decided_on_time_share: float | None = None
    ratings: int = 0
    rating_avg: float | None = None
    complaints: int = 0
    complaints_answered: int = 0
    complaints_answered_on_time_share: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _sums(
    model: type[Model], group: tuple[str, ...], names: Iterable[str], **filters: Any
) -> dict[Any, dict[str, int]]:
    query: QuerySet[Any] = model._default_manager.filter(**filters)
    rows = query.values(*group).annotate(**{name: Sum(name) for name in names})
    out: dict[Any, dict[str, int]] = {}
    for row in rows:
        key = tuple(row[g] for g in group) if len(group) > 1 else row[group[0]]
        out[key] = {name: int(row[name] or 0) for name in names}
    return out


QUEUE_SUMS = (
    "issued",
    "served",
    "no_shows",
    "waits",
    "wait_seconds",
    "waits_over_target",
    "handled",
    "handle_seconds",
)


CENTRE_SUMS = (
    *QUEUE_SUMS,
    "applications",
    "decided",
    "decided_on_time",
    "ratings",
    "rating_points",
    "complaints",
    "complaints_answered",
    "complaints_answered_on_time",
)


def _sort_key(sort: str) -> Any:
    if sort == "load":
        return lambda r: (-r.issued, r.code)
    if sort == "breaches":
        return lambda r: (-r.waits_over_target, -(r.over_target_share or 0), r.code)
    if sort == "wait":
        return lambda r: (-(r.avg_wait_minutes or 0), r.code)
    return lambda r: r.code


def overview(
    *, region: Region | None, start: date, end: date, sort: str = "wait"
) -> list[CentreRow]:
    """Every active centre of the region (or of the country) as a row, over [start, end]:
    one sum over the centres' CentreDay rows, at most centres × days of them."""
    centres = Centre.objects.filter(is_active=True).select_related("region")
    scope: dict[str, Any] = {"day__gte": start, "day__lte": end}
    if region is not None:
        centres = centres.filter(region=region)
        scope["centre__region"] = region
    sums = _sums(CentreDay, ("centre_id",), CENTRE_SUMS, **scope)
    rows = []
    for centre in centres:
        d = sums.get(centre.pk, dict.fromkeys(CENTRE_SUMS, 0))
        rows.append(
            CentreRow(
                code=centre.code,
                name=centre.name,
                region=centre.region.code,
                region_name=centre.region.name,
                issued=d["issued"],
                served=d["served"],
                no_shows=d["no_shows"],
                avg_wait_minutes=_mean(d["wait_seconds"], d["waits"], 60),
                waits_over_target=d["waits_over_target"],
                over_target_share=_share(d["waits_over_target"], d["waits"]),
                avg_handle_minutes=_mean(d["handle_seconds"], d["handled"], 60),
                applications=d["applications"],
                decided=d["decided"],
                decided_on_time_share=_share(d["decided_on_time"], d["decided"]),
                ratings=d["ratings"],
                rating_avg=_mean(d["rating_points"], d["ratings"] * len(CRITERIA)),
                complaints=d["complaints"],
                complaints_answered=d["complaints_answered"],
                complaints_answered_on_time_share=_share(
                    d["complaints_answered_on_time"], d["complaints_answered"]
                ),
            )
        )
    return sorted(rows, key=_sort_key(sort if sort in SORT_KEYS else "wait"))


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    centres: int
    issued: int
    served: int
    waits_over_target: int
    avg_wait_minutes: float | None


def regions_summary(rows: list[CentreRow]) -> list[RegionRow]:
    """The centre rows added up per region (waits weighted by the tickets served)."""
    grouped: dict[str, list[CentreRow]] = {}
    for row in rows:
        grouped.setdefault(row.region, []).append(row)
    out = []
    for code, members in sorted(grouped.items()):
        served = sum(r.served for r in members)
        weighted = sum((r.avg_wait_minutes or 0) * r.served for r in members)
        out.append(
            RegionRow(
                code=code,
                name=members[0].region_name,
                centres=len(members),
                issued=sum(r.issued for r in members),
                served=served,
                waits_over_target=sum(r.waits_over_target for r in members),
                avg_wait_minutes=round(weighted / served, 1) if served else None,
            )
        )
    return out


@dataclass(frozen=True)
class DayRow:
    day: date
    issued: int
    served: int
    no_shows: int
    avg_wait_minutes: float | None
    waits_over_target: int
    avg_handle_minutes: float | None


def centre_days(centre: Centre, *, start: date, end: date) -> list[DayRow]:
    """One centre's days from the aggregates, newest first."""
    days = _sums(QueueDay, ("day",), QUEUE_SUMS, centre=centre, day__gte=start, day__lte=end)
    return [
        DayRow(
            day=day,
            issued=q["issued"],
            served=q["served"],
            no_shows=q["no_shows"],
            avg_wait_minutes=_mean(q["wait_seconds"], q["waits"], 60),
            waits_over_target=q["waits_over_target"],
            avg_handle_minutes=_mean(q["handle_seconds"], q["handled"], 60),
        )
        for day, q in sorted(days.items(), reverse=True)
    ]


@dataclass(frozen=True)
class PublicRow:
    """Open data: per centre and service, no person and no operator in it. Satisfaction and
    complaints are the centre's, over all its services."""

    centre: str
    centre_name: str
    region: str
    service: str
    service_name: str
    served: int
    avg_wait_minutes: float | None
    decided: int
    decided_on_time_share: float | None
    centre_satisfaction: float | None
    centre_ratings: int
    centre_complaints_answered_on_time_share: float | None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def public_stats(*, start: date, end: date) -> list[PublicRow]:
    scope = {"day__gte": start, "day__lte": end}
    queue = _sums(QueueDay, ("centre_id", "service_id"), QUEUE_SUMS, **scope)
    cases = _sums(CaseDay, ("centre_id", "service_id"), ("decided", "decided_on_time"), **scope)
    ratings = _sums(RatingDay, ("centre_id",), ("ratings", *CRITERIA), **scope)
    complaints = _sums(ComplaintDay, ("centre_id",), ("answered", "answered_on_time"), **scope)
    keys = sorted(set(queue) | set(cases))
    centres = {
        c.pk: c for c in Centre.objects.filter(pk__in={k[0] for k in keys}).select_related("region")
    }
    services = {s.pk: s for s in Service.objects.filter(pk__in={k[1] for k in keys})}
    rows = []
    for centre_id, service_id in keys:
        centre, service = centres[centre_id], services[service_id]
        q = queue.get((centre_id, service_id), dict.fromkeys(QUEUE_SUMS, 0))
        c = cases.get((centre_id, service_id), {"decided": 0, "decided_on_time": 0})
        r = ratings.get(centre_id, dict.fromkeys(("ratings", *CRITERIA), 0))
        k = complaints.get(centre_id, {"answered": 0, "answered_on_time": 0})
        rows.append(
            PublicRow(
                centre=centre.code,
                centre_name=centre.name,
                region=centre.region.code,
                service=service.code,
                service_name=service.name,
                served=q["served"],
                avg_wait_minutes=_mean(q["wait_seconds"], q["waits"], 60),
                decided=c["decided"],
                decided_on_time_share=_share(c["decided_on_time"], c["decided"]),
                centre_satisfaction=_mean(
                    sum(r[n] for n in CRITERIA), r["ratings"] * len(CRITERIA)
                ),
                centre_ratings=r["ratings"],
                centre_complaints_answered_on_time_share=_share(
                    k["answered_on_time"], k["answered"]
                ),
            )
        )
    return sorted(rows, key=lambda row: (row.centre, row.service))
