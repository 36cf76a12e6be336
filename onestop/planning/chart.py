"""The geometry of the planner's two charts, drawn as inline SVG by the template (as the
monitoring reports draw theirs): arrivals per hour as bars with the windows open as lines,
and the predicted p95 wait of each group per hour against its target. Pure arithmetic; the
data table beside the charts carries the same figures for screen readers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from onestop.planning.scenario import Group

WIDTH = 720.0
HEIGHT = 240.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 48.0, 16.0, 40.0
# Colour, dash pattern and marker per group: told apart by shape and line, not colour alone.
STYLE = {
    Group.WALK_IN: {"colour": "#0b5cad", "dash": "", "marker": "circle"},
    Group.BOOKED: {"colour": "#9a3412", "dash": "7 4", "marker": "square"},
    Group.PRIORITY: {"colour": "#1d6b35", "dash": "2 4", "marker": "triangle"},
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: str  # as shown beside a point drawn at the top because it is off the scale
    clipped: bool = False

    # Marker shapes around the point, for the template (which does no arithmetic).
    @property
    def left(self) -> float:
        return round(self.x - 4, 1)

    @property
    def top(self) -> float:
        return round(self.y - 4, 1)

    @property
    def triangle(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}"

    @property
    def label_x(self) -> float:
        return round(self.x + 6, 1)

    @property
    def label_y(self) -> float:
        return round(self.y + 12, 1)


@dataclass(frozen=True)
class Series:
    key: str
    colour: str
    dash: str
    marker: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float  # y for value ticks, x for hour labels
    label: str

    @property
    def baseline(self) -> float:
        """Where a value tick's text sits so that it is centred on its line."""
        return round(self.position + 4, 1)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TargetLine:
    key: str
    colour: str
    dash: str
    y: float
    label: str

    @property
    def baseline(self) -> float:
        return round(self.y + 4, 1)


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    hours: tuple[Tick, ...]
    left_ticks: tuple[Tick, ...]
    right_ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...] = ()
    series: tuple[Series, ...] = ()
    targets: tuple[TargetLine, ...] = ()

    @property
    def left_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def right_label_x(self) -> float:
        return self.plot_right + 6

    @property
    def hour_label_y(self) -> float:
        return self.plot_bottom + 18


def _nice(value: float) -> float:
    """A round upper bound at or above `value` (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or value >= 10 else f"{value:.1f}"


class _Frame:
    def __init__(self, count: int) -> None:
        self.count = max(count, 1)
        self.left, self.right = LEFT, WIDTH - RIGHT
        self.top, self.bottom = TOP, HEIGHT - BOTTOM
        self.slot = (self.right - self.left) / self.count

    def x(self, index: int) -> float:
        return round(self.left + self.slot * (index + 0.5), 1)

    def y(self, value: float, top: float) -> float:
        return round(self.bottom - (self.bottom - self.top) * min(value, top) / top, 1)

    def hour_ticks(self, starts: Sequence[str]) -> tuple[Tick, ...]:
        every = 1 if self.count <= 12 else 2 if self.count <= 24 else 3
        return tuple(Tick(self.x(i), start) for i, start in enumerate(starts) if i % every == 0)

    def value_ticks(self, top: float) -> tuple[Tick, ...]:
        return tuple(Tick(self.y(top * k / 2, top), _number(top * k / 2)) for k in range(3))

    def chart(self, starts: Sequence[str], left_top: float, right_top: float | None) -> Chart:
        return Chart(
            width=WIDTH,
            height=HEIGHT,
            plot_left=self.left,
            plot_right=self.right,
            plot_top=self.top,
            plot_bottom=self.bottom,
            hours=self.hour_ticks(starts),
            left_ticks=self.value_ticks(left_top),
            right_ticks=self.value_ticks(right_top) if right_top is not None else (),
        )


def _line(
    frame: _Frame, key: str, style: Mapping[str, str], values: Sequence[float | None], top: float
) -> Series:
    points = tuple(
        Point(frame.x(i), frame.y(v, top), _number(v), clipped=v > top)
        for i, v in enumerate(values)
        if v is not None
    )
    return Series(key, style["colour"], style["dash"], style["marker"], points)


def load_chart(
    *,
    starts: Sequence[str],
    arrivals: Sequence[float],
    recommended: Sequence[int],
    planned: Sequence[int] | None,
    window_count: int,
) -> Chart:
    """Arrivals as bars (left scale); the recommended windows, and the plan's when it was
    edited, as lines (right scale)."""
    frame = _Frame(len(starts))
    arrivals_top = _nice(max(arrivals, default=0))
    windows_top = float(max(window_count, max(recommended, default=0), 1))
    width = frame.slot * 0.6
    bars = tuple(
        Bar(
            x=round(frame.x(i) - width / 2, 1),
            y=round(frame.y(value, arrivals_top), 1),
            width=round(width, 1),
            height=round(frame.bottom - frame.y(value, arrivals_top), 1),
        )
        for i, value in enumerate(arrivals)
    )
    series = [
        _line(
            frame,
            "recommended",
            {"colour": "#14213d", "dash": "", "marker": "circle"},
            [float(n) for n in recommended],
            windows_top,
        )
    ]
    if planned is not None:
        series.append(
            _line(
                frame,
                "planned",
                {"colour": "#9a3412", "dash": "7 4", "marker": "square"},
                [float(n) for n in planned],
                windows_top,
            )
        )
    base = frame.chart(starts, arrivals_top, windows_top)
    return replace(base, bars=bars, series=tuple(series))


def wait_chart(
    *,
    starts: Sequence[str],
    p95: Mapping[Group, Sequence[float | None]],
    targets: Mapping[Group, float],
) -> Chart:
    """Each group's p95 wait per hour as a line, its target as a dashed level. The scale
    stops at four times the largest target: a wait beyond it is drawn at the top with its
    figure beside it."""
    frame = _Frame(len(starts))
    highest_target = max(targets.values(), default=1.0)
    highest = max((v for values in p95.values() for v in values if v is not None), default=0.0)
    top = _nice(min(max(highest, highest_target * 1.5), highest_target * 4))
    series = tuple(
        _line(frame, group.value, STYLE[group], values, top) for group, values in p95.items()
    )
    lines = tuple(
        TargetLine(
            key=group.value,
            colour=STYLE[group]["colour"],
            dash="3 3",
            y=frame.y(target, top),
            label=_number(target),
        )
        for group, target in targets.items()
    )
    base = frame.chart(starts, top, None)
    return replace(base, series=series, targets=lines)
