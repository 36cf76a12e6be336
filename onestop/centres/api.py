from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from onestop.centres import selectors
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.api_schemas import ErrorOut, Lang, Texts, texts

router = Router()


class RegionOut(Schema):
    code: str
    name: str
    names: Texts


class TodayOut(Schema):
    date: dt.date
    open: bool
    opens: dt.time | None
    closes: dt.time | None
    around_the_clock: bool


class WindowOut(Schema):
    number: int
    state: str
    services: list[str]


class WeekdayHoursOut(Schema):
    weekday: int
    opens: dt.time
    closes: dt.time


class CentreSummaryOut(Schema):
    code: str
    name: str
    names: Texts
    region: RegionOut
    level: str
    address: str
    addresses: Texts
    today: TodayOut


class CentreOut(CentreSummaryOut):
    weekly_hours: list[WeekdayHoursOut]
    windows: list[WindowOut]


def _today(centre: Centre) -> TodayOut:
    day = clock.today()
    hours = selectors.hours_of(centre, day)
    if hours is None:
        return TodayOut(date=day, open=False, opens=None, closes=None, around_the_clock=False)
    return TodayOut(
        date=day,
        open=True,
        opens=hours.opens,
        closes=hours.closes,
        around_the_clock=hours.opens == dt.time(0) and hours.closes_at_midnight,
    )


def _summary(centre: Centre) -> dict[str, object]:
    return {
        "code": centre.code,
        "name": centre.name,
        "names": texts(centre, "name"),
        "region": RegionOut(
            code=centre.region.code, name=centre.region.name, names=texts(centre.region, "name")
        ),
        "level": centre.level,
        "address": centre.address,
        "addresses": texts(centre, "address"),
        "today": _today(centre),
    }


@router.get("", response={200: list[CentreSummaryOut], 422: ErrorOut}, summary="List centres")
def list_centres(
    request: HttpRequest, region: str = "", lang: Lang | None = None
) -> list[CentreSummaryOut]:
    centres = selectors.active_centres()
    if region:
        centres = centres.filter(region__code=region.lower())
    return [CentreSummaryOut(**_summary(c)) for c in centres]  # type: ignore[arg-type]


@router.get(
    "/{code}",
    response={200: CentreOut, 404: ErrorOut, 422: ErrorOut},
    summary="One centre with its windows and today's hours",
)
def get_centre(request: HttpRequest, code: str, lang: Lang | None = None) -> CentreOut:
    centre = selectors.centre_by_code(code)
    return CentreOut(
        **_summary(centre),  # type: ignore[arg-type]
        weekly_hours=[
            WeekdayHoursOut(weekday=h.weekday, opens=h.opens, closes=h.closes)
            for h in selectors.weekly_hours(centre)
        ],
        windows=[
            WindowOut(number=w.number, state=w.state, services=[s.code for s in w.services.all()])
            for w in centre.windows.all()
        ],
    )
