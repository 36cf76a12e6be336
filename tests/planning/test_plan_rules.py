"""The rules of an edited plan, without a database: the form's boxes, the limits, breaks
staggered over an hour's open windows, window numbers as ranges, the scenario a plan makes."""

from __future__ import annotations

import math

from onestop.planning import chart, domain, selectors
from onestop.planning.reference import reference_scenario
from onestop.planning.scenario import Break, Group, Targets

TARGETS = {"target-walk_in": "15", "target-booked": "5", "target-priority": "3"}


def _parse(data: dict[str, str], base: list[float] | None = None) -> tuple[object, list[str]]:
    edit, problems = domain.parse_edit(
        {**TARGETS, **data},
        starts=["09:00", "10:00"],
        base_arrivals=base or [57.6923, 10.0],
        window_count=4,
        max_arrivals=100,
    )
    return edit, [p.code for p in problems]


def test_an_arrivals_box_left_as_shown_keeps_the_forecasts_exact_value() -> None:
    edit, problems = _parse(
        {"arrivals-0": "57.7", "windows-0": "2", "arrivals-1": "12,5", "windows-1": "4"}
    )
    assert problems == []
    assert isinstance(edit, domain.PlanEdit)
    assert [h.arrivals for h in edit.hours] == [57.6923, 12.5]  # a decimal comma is a comma
    assert [h.break_minutes for h in edit.hours] == [0, 0]  # an empty break box is none
    assert edit.targets == Targets(15, 5, 3)


def test_every_box_out_of_its_range_is_named() -> None:
    _edit, problems = _parse(
        {
            "arrivals-0": "-1",
            "windows-0": "5",
            "breaks-0": "30",
            "arrivals-1": "nan",
            "windows-1": "1.5",
            "breaks-1": "",
            "target-priority": "0",
        }
    )
    assert problems == [
        "invalid_arrivals",
        "invalid_windows",
        "invalid_arrivals",
        "invalid_windows",
        "invalid_target",
    ]
    # Breaks are checked against the windows open: 61 minutes at one window is too many.
    _edit, problems = _parse(
        {"arrivals-0": "1", "windows-0": "1", "breaks-0": "61", "arrivals-1": "1", "windows-1": "0"}
    )
    assert problems == ["invalid_breaks"]


def test_the_arrivals_limit_is_one_and_a_half_times_what_every_window_serves() -> None:
    scenario = reference_scenario()  # 30 windows, about 12 minutes a visit
    per_hour = 30 * 60 / scenario.mean_handling_minutes()
    assert domain.arrivals_limit(scenario) == math.ceil(1.5 * per_hour) == 225


def test_break_minutes_become_half_hour_breaks_staggered_over_the_open_windows() -> None:
    breaks = domain.staggered_breaks(
        period_starts=[0.0, 60.0],
        open_windows=[(23, 24, 25), (23, 24)],
        break_minutes=[100, 60],
    )
    assert breaks == (
        Break(window=23, start_minute=0.0, minutes=30.0),
        Break(window=24, start_minute=30.0, minutes=30.0),
        Break(window=25, start_minute=0.0, minutes=30.0),
        Break(window=23, start_minute=30.0, minutes=10.0),  # the rest, at half past
        Break(window=23, start_minute=60.0, minutes=30.0),
        Break(window=24, start_minute=90.0, minutes=30.0),
    )
    # Two breaks at one window never overlap, even when every window rests all hour.
    full = domain.staggered_breaks(
        period_starts=[0.0], open_windows=[(1, 2, 3)], break_minutes=[180]
    )
    for window in (1, 2, 3):
        assert sorted(b.start_minute for b in full if b.window == window) == [0.0, 30.0]


def test_window_numbers_read_as_ranges() -> None:
    assert domain.number_ranges([24, 23, 1, 2, 3, 5]) == "1–3, 5, 23–24"
    assert domain.number_ranges([]) == ""


def test_an_edited_plan_opens_the_first_windows_of_the_opening_order() -> None:
    base = reference_scenario().truncated(2)
    order = (23, 24, 25, 1, 2)
    hours = [domain.HourPlan(50.0, 3, 30), domain.HourPlan(70.0, 5, 0)]
    scenario = selectors.plan_scenario(base, order=order, hours=hours, targets=Targets(10, 5, 3))
    assert [p.windows for p in scenario.periods] == [(23, 24, 25), (23, 24, 25, 1, 2)]
    assert [p.arrivals for p in scenario.periods] == [50.0, 70.0]
    assert scenario.breaks == (Break(window=23, start_minute=0.0, minutes=30.0),)
    assert scenario.targets == Targets(10, 5, 3)


def test_a_wait_beyond_the_charts_scale_is_drawn_at_the_top_with_its_figure() -> None:
    drawn = chart.wait_chart(
        starts=["09:00", "10:00"],
        p95={Group.WALK_IN: [4.0, 200.0], Group.BOOKED: [None, 2.0], Group.PRIORITY: [1.0, 1.0]},
        targets={Group.WALK_IN: 15.0, Group.BOOKED: 5.0, Group.PRIORITY: 3.0},
    )
    walk_in = drawn.series[0]
    assert [p.clipped for p in walk_in.points] == [False, True]
    assert walk_in.points[1].y == drawn.plot_top and walk_in.points[1].value == "200"
    assert [t.label for t in drawn.left_ticks] == ["0", "30", "60"]  # four times the target
    assert len(drawn.series[1].points) == 1  # nobody booked came at 09:00: no point
