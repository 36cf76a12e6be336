"""A real centre's day as a simulator scenario: its windows and their services, the
catalogue's standards, its own mix of services and handling times, one hour-long period per
forecast hour with every window open; a closed day or a centre without windows is refused
with a 4xx error. A handful of reads, however many hours and windows."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.centres.models import Window
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.planning.centre_scenario import MIN_VISITS, centre_scenario
from onestop.planning.forecast import forecast_day
from onestop.planning.scenario import Scenario, WindowSpec
from onestop.planning.simulator import simulate
from onestop.queue.domain import PriorityGroup
from tests.planning.conftest import demo_centre
from tests.planning.tickets import record

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 12, 1)
LAST_TUESDAY = date(2026, 11, 24)
# AST-02's windows in the demo (onestop/demo/data/centres.json).
AST02_WINDOWS = (
    WindowSpec(1, frozenset({"MJ-ID-CARD", "MJ-PASSPORT"})),
    WindowSpec(2, frozenset({"MJ-RESIDENCE-REG", "MJ-TEMP-REG", "MJ-RESIDENCE-DEREG"})),
    WindowSpec(3, frozenset({"MJ-BIRTH-REG", "MJ-MARRIAGE-REG", "MJ-CIVIL-CERT-REPEAT"})),
    WindowSpec(4, frozenset({"MJ-PROPERTY-RIGHTS-REG", "MJ-PROPERTY-RIGHTS-CERT", "MJ-APOSTILLE"})),
)


def test_the_scenario_has_the_centres_windows_services_and_forecast_hours(monday: None) -> None:
    record("AST-02", LAST_TUESDAY, {9: 30, 18: 10}, handling_minutes=12)  # 40 ID-card visits
    record("AST-02", LAST_TUESDAY, {10: 10}, service="MJ-APOSTILLE", handling_minutes=30)
    record("AST-02", LAST_TUESDAY, {11: 10}, service="MJ-TEMP-REG", priority="pensioner")
    record("AST-02", date(2026, 11, 25), {11: 40}, service="MJ-BIRTH-REG")  # not a Tuesday

    scenario = centre_scenario(centre=demo_centre(), day=TUESDAY)

    assert scenario.name == "AST-02 2026-12-01"
    assert scenario.opens_at == datetime(2026, 12, 1, 9, 0, tzinfo=clock.ALMATY)
    assert scenario.windows == AST02_WINDOWS
    services = {s.code: s for s in scenario.services}
    assert set(services) == set().union(*(w.services for w in AST02_WINDOWS))
    # Shares: the tickets of the forecast's history day (60), per service.
    assert services["MJ-ID-CARD"].share == pytest.approx(40 / 60)
    assert services["MJ-APOSTILLE"].share == pytest.approx(10 / 60)
    assert services["MJ-TEMP-REG"].share == pytest.approx(10 / 60)
    assert services["MJ-BIRTH-REG"].share == 0
    # Handling: the centre's own mean with enough served visits, else the catalogue's.
    assert services["MJ-ID-CARD"].mean_minutes == pytest.approx(12)
    assert services["MJ-APOSTILLE"].mean_minutes == 8  # 10 visits < MIN_VISITS
    assert services["MJ-TEMP-REG"].mean_minutes == 8  # not served (waiting tickets)
    assert services["MJ-ID-CARD"].target_wait_minutes == 15
    assert services["MJ-ID-CARD"].priority_applies is True
    # One hour-long period per open hour with the forecast arrivals, every window open.
    assert len(scenario.periods) == 11
    assert [p.arrivals for p in scenario.periods] == [30, 10, 10, 0, 0, 0, 0, 0, 0, 10, 0]
    assert all(p.minutes == 60 and p.windows == (1, 2, 3, 4) for p in scenario.periods)
    assert scenario.priority_share == pytest.approx(10 / 60)
    assert scenario.booked_share == 0


def test_the_centres_own_handling_time_needs_enough_visits(monday: None) -> None:
    record("AST-02", LAST_TUESDAY, {10: MIN_VISITS - 1}, handling_minutes=3)
    few = {s.code: s for s in centre_scenario(centre=demo_centre(), day=TUESDAY).services}
    record("AST-02", LAST_TUESDAY, {11: 1}, handling_minutes=3)
    enough = {s.code: s for s in centre_scenario(centre=demo_centre(), day=TUESDAY).services}

    assert few["MJ-ID-CARD"].mean_minutes == 15
    assert enough["MJ-ID-CARD"].mean_minutes == pytest.approx(3)


def test_without_history_shares_are_equal_and_visitor_mix_is_the_default(monday: None) -> None:
    scenario = centre_scenario(centre=demo_centre(), day=TUESDAY)

    assert [s.share for s in scenario.services] == [pytest.approx(1 / 11)] * 11
    assert all(p.arrivals == 0 for p in scenario.periods)
    defaults = Scenario(name="", opens_at=scenario.opens_at, services=(), windows=(), periods=())
    assert scenario.priority_share == defaults.priority_share
    assert scenario.booked_share == defaults.booked_share


def test_a_given_forecast_is_used_as_it_is(monday: None) -> None:
    record("AST-02", LAST_TUESDAY, {9: 4}, booked=True)
    record("AST-02", LAST_TUESDAY, {9: 6}, priority=PriorityGroup.DISABLED)
    forecast = forecast_day(centre=demo_centre(), day=TUESDAY, weeks=1)

    scenario = centre_scenario(centre=demo_centre(), day=TUESDAY, forecast=forecast)

    assert scenario.periods[0].arrivals == 10
    assert scenario.booked_share == pytest.approx(0.4)
    assert scenario.priority_share == pytest.approx(1.0)
    with pytest.raises(ValueError):
        centre_scenario(centre=demo_centre(), day=date(2026, 12, 2), forecast=forecast)


def test_a_centre_open_around_the_clock_gets_24_periods_from_midnight(monday: None) -> None:
    scenario = centre_scenario(centre=demo_centre("AST-01"), day=TUESDAY)

    assert scenario.opens_at == datetime(2026, 12, 1, 0, 0, tzinfo=clock.ALMATY)
    assert len(scenario.periods) == 24
    assert scenario.window_numbers == tuple(range(1, 9))


def test_a_closed_day_is_refused_with_a_4xx_error(monday: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        centre_scenario(centre=demo_centre(), day=date(2026, 12, 6))  # a Sunday

    assert refused.value.status == 422 and refused.value.code == "centre_closed"
    assert "AST-02" in refused.value.detail


def test_a_centre_without_windows_serving_anything_is_refused(monday: None) -> None:
    for window in Window.objects.filter(centre__code="AST-02"):
        window.services.clear()

    with pytest.raises(InvalidInput) as refused:
        centre_scenario(centre=demo_centre(), day=TUESDAY)

    assert refused.value.status == 422 and refused.value.code == "no_windows"


def test_the_scenario_takes_a_handful_of_reads_however_many_hours(monday: None) -> None:
    record("AST-01", LAST_TUESDAY, {h: 2 for h in range(24)}, handling_minutes=10)
    record("AST-02", LAST_TUESDAY, {h: 2 for h in range(9, 20)}, handling_minutes=10)
    ast01, ast02 = demo_centre("AST-01"), demo_centre("AST-02")
    with CaptureQueriesContext(connection) as around_the_clock:
        centre_scenario(centre=ast01, day=TUESDAY)
    with CaptureQueriesContext(connection) as office_hours:
        centre_scenario(centre=ast02, day=TUESDAY)

    # The centre's weekly hours and dated exceptions, the tickets by hour, the windows, the
    # catalogue and the tickets by service.
    assert len(around_the_clock) == len(office_hours) == 6


def test_the_simulator_runs_the_scenario(monday: None) -> None:
    record("AST-02", LAST_TUESDAY, {9: 8, 10: 12, 11: 10}, handling_minutes=10)

    result = simulate(centre_scenario(centre=demo_centre(), day=TUESDAY), seed=1)

    assert sum(len(waits) for waits in result.waits.values()) > 0


def test_simulate_day_simulates_a_real_centre_from_its_forecast(monday: None) -> None:
    record("AST-02", LAST_TUESDAY, {9: 6, 10: 12, 18: 8}, handling_minutes=10)
    record("AST-02", LAST_TUESDAY, {11: 4}, service="MJ-TEMP-REG", priority="pensioner")
    out = io.StringIO()
    call_command("simulate_day", "--centre", "AST-02", "--date", "2026-12-01", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["scenario"] == "AST-02 2026-12-01"
    starts = [hour["start"] for hour in payload["hours"]]
    assert starts[0] == "09:00" and starts[-1] == "19:00"
    hours = dict(zip(starts, payload["hours"], strict=True))
    assert hours["10:00"]["arrivals"] == 12 and hours["13:00"]["arrivals"] == 0
    assert all(hour["windows"] == 4 for hour in payload["hours"])
    assert payload["walk_in"]["served"] + payload["priority"]["served"] > 0


def test_simulate_day_refuses_a_closed_day_and_an_unknowncentre(monday: None) -> None:
    with pytest.raises(CommandError, match="AST-99"):
        call_command("simulate_day", "--centre", "AST-99", "--date", "2026-12-01")
    with pytest.raises(CommandError):
        call_command("simulate_day", "--centre", "AST-02", "--date", "2026-12-06")  # Sunday
    with pytest.raises(CommandError):
        call_command("simulate_day", "--centre", "AST-02", "--date", "1 December")
