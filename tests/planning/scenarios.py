"""Small scenarios the planner's tests share."""

from __future__ import annotations

from datetime import datetime

from onestop.core import clock
from onestop.planning.scenario import Period, Scenario, ServiceProfile, WindowSpec

MONDAY_NINE = datetime(2026, 1, 5, 9, tzinfo=clock.ALMATY)


def small_centre(*, arrivals: tuple[float, ...] = (30, 60, 45), windows: int = 6) -> Scenario:
    """Two departments' services, two windows each, the rest serving everything."""
    services = (
        ServiceProfile("ID", 3, 10),
        ServiceProfile("LAND", 1, 15),
        ServiceProfile("CERT", 2, 5),
    )
    specs = [
        WindowSpec(1, frozenset({"ID"})),
        WindowSpec(2, frozenset({"LAND"})),
        *(WindowSpec(n, frozenset({"ID", "LAND", "CERT"})) for n in range(3, windows + 1)),
    ]
    numbers = tuple(w.number for w in specs)
    return Scenario(
        name="small",
        opens_at=MONDAY_NINE,
        services=services,
        windows=tuple(specs),
        periods=tuple(Period(minutes=60, arrivals=a, windows=numbers) for a in arrivals),
    )
