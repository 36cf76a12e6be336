"""The reference scenario: the evaluation's typical centre (1,000 citizens a day, Mon–Fri
09:00–20:00, the 25 services, 30 windows of which 28 are staffed). Handling times and
ageing targets come from the catalogue file, so the scenario needs no database."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from onestop.core import clock
from onestop.planning.scenario import Period, Scenario, ServiceProfile, WindowSpec

DATA = Path(__file__).resolve().parent / "data" / "reference.json"
CATALOGUE = Path(__file__).resolve().parents[1] / "catalog" / "data" / "catalogue_kz.json"
REFERENCE_DAY = date(2026, 12, 1)  # a Tuesday: the date only places the day on the clock


@cache
def _data() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


@cache
def _catalogue() -> dict[str, dict[str, Any]]:
    services = json.loads(CATALOGUE.read_text(encoding="utf-8"))["services"]
    return {item["code"]: item for item in services}


def reference_windows() -> tuple[WindowSpec, ...]:
    every = frozenset(_data()["shares"])
    windows: list[WindowSpec] = []
    for block in _data()["windows"]:
        first, last = block["numbers"]
        served = every if block["services"] == "*" else frozenset(block["services"])
        windows.extend(WindowSpec(number, served) for number in range(first, last + 1))
    return tuple(windows)


def reference_services() -> tuple[ServiceProfile, ...]:
    catalogue = _catalogue()
    return tuple(
        ServiceProfile(
            code=code,
            share=float(share),
            mean_minutes=float(catalogue[code]["avg_handling_minutes"]),
            target_wait_minutes=float(catalogue[code].get("target_wait_minutes", 15)),
            priority_applies=bool(catalogue[code].get("priority_applies", True)),
        )
        for code, share in _data()["shares"].items()
    )


def reference_arrivals(citizens: int | None = None) -> list[float]:
    profile = _data()["hourly_profile"]
    total = float(citizens if citizens is not None else _data()["citizens_per_day"])
    weight = sum(profile)
    return [total * share / weight for share in profile]


def reference_scenario(*, day: date = REFERENCE_DAY, citizens: int | None = None) -> Scenario:
    data = _data()
    windows = reference_windows()
    staffed = tuple(w.number for w in windows[: int(data["open_windows"])])
    opens = time.fromisoformat(data["opens"])
    return Scenario(
        name="reference",
        opens_at=datetime.combine(day, opens, tzinfo=clock.ALMATY),
        services=reference_services(),
        windows=windows,
        periods=tuple(
            Period(minutes=60.0, arrivals=count, windows=staffed)
            for count in reference_arrivals(citizens)
        ),
    )
