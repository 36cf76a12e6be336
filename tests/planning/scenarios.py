"""Small scenarios the planner's tests share."""

from __future__ import annotations

from datetime import datetime

from onestop.core import clock
from onestop.planning.scenario import Handling, Period, Scenario, ServiceProfile, WindowSpec

MONDAY_NINE = datetime(2026, 1, 5, 9, tzinfo=clock.ALMATY)


def mmc(
    *, servers: int, arrival_rate: float, minutes: float, priority_share: float = 0.0
) -> Scenario:
    """M/M/c in minutes: one service of mean 1 minute, exponential, no ageing, nobody booked,
    nobody walking away, no recalls, no transfers, no walk to the window."""
    numbers = tuple(range(1, servers + 1))
    return Scenario(
        name="mmc",
        opens_at=MONDAY_NINE,
        services=(ServiceProfile("S", 1.0, 1.0, target_wait_minutes=1e9),),
        windows=tuple(WindowSpec(n, frozenset({"S"})) for n in numbers),
        periods=(Period(minutes=minutes, arrivals=arrival_rate * minutes, windows=numbers),),
        priority_share=priority_share,
        booked_share=0.0,
        walk_away_share=0.0,
        recall_share=0.0,
        transfer_share=0.0,
        handling=Handling.EXPONENTIAL,
        walk_minutes=0.0,
        warmup_minutes=200.0,
    )


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
