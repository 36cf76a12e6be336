"""A tile map of Kazakhstan's regions for the Situational Centre: one square per region, placed
roughly where the region lies (west to east, north to south), shaded by the average wait. Pure:
positions and shading from the overview's region rows, no drawing."""

from __future__ import annotations

from dataclasses import dataclass

from onestop.monitoring.selectors import RegionRow

# (column, row) on a 7 × 4 grid. Cities of national significance get their own tile beside
# the region around them. A region missing here (new codes) goes to a row below the map.
TILES: dict[str, tuple[int, int]] = {
    "west-kazakhstan": (0, 0),
    "kostanay": (2, 0),
    "north-kazakhstan": (3, 0),
    "pavlodar": (4, 0),
    "atyrau": (0, 1),
    "aktobe": (1, 1),
    "ulytau": (2, 1),
    "akmola": (3, 1),
    "astana": (4, 1),
    "abai": (5, 1),
    "east-kazakhstan": (6, 1),
    "mangystau": (0, 2),
    "kyzylorda": (1, 2),
    "karaganda": (3, 2),
    "zhetisu": (5, 2),
    "turkistan": (2, 3),
    "shymkent": (3, 3),
    "zhambyl": (4, 3),
    "almaty-region": (5, 3),
    "almaty": (6, 3),
}
COLUMNS, ROWS = 7, 4
TARGET_MINUTES = 15  # the reference norm for a walk-in's wait (REFERENCE.md)


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    column: int
    row: int
    avg_wait_minutes: float | None
    level: str  # "none" (no visitors yet), "ok", "near" (over ⅔ of target), "over" (over target)


def level_of(avg_wait: float | None) -> str:
    if avg_wait is None:
        return "none"
    if avg_wait > TARGET_MINUTES:
        return "over"
    return "near" if avg_wait > TARGET_MINUTES * 2 / 3 else "ok"


def tiles(regions: list[RegionRow]) -> tuple[list[Tile], int]:
    """The tiles, and the number of grid rows they need (extra rows for unplaced regions)."""
    placed: list[Tile] = []
    extra = 0
    for region in sorted(regions, key=lambda r: r.code):
        column, row = TILES.get(region.code, (extra % COLUMNS, ROWS + extra // COLUMNS))
        if region.code not in TILES:
            extra += 1
        placed.append(
            Tile(
                region.code,
                region.name,
                column,
                row,
                region.avg_wait_minutes,
                level_of(region.avg_wait_minutes),
            )
        )
    return placed, ROWS + (extra + COLUMNS - 1) // COLUMNS
