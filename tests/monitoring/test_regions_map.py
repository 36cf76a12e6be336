"""The tile map: every region placed once, unknown regions below the map, shading by wait."""

from __future__ import annotations

from onestop.monitoring import regions_map
from onestop.monitoring.selectors import RegionRow


def _region(code: str, wait: float | None) -> RegionRow:
    return RegionRow(code, code.title(), 1, 10, 10, 0, wait)


def test_known_regions_take_their_own_tiles_and_unknown_ones_go_below() -> None:
    assert len(set(regions_map.TILES.values())) == len(regions_map.TILES)  # no overlaps
    tiles, rows = regions_map.tiles([_region("astana", 5), _region("new-region", 20)])
    placed = {t.code: (t.column, t.row) for t in tiles}
    assert placed["astana"] == regions_map.TILES["astana"]
    assert placed["new-region"][1] >= regions_map.ROWS and rows == regions_map.ROWS + 1


def test_a_tile_is_shaded_by_the_average_wait_against_the_norm() -> None:
    assert regions_map.level_of(None) == "none"
    assert regions_map.level_of(5) == "ok"
    assert regions_map.level_of(11) == "near"
    assert regions_map.level_of(15) == "near"
    assert regions_map.level_of(15.1) == "over"
