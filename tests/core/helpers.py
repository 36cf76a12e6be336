from __future__ import annotations

from datetime import datetime

from onestop.core.clock import ALMATY


def almaty(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """An aware moment in Astana/Almaty local time."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)
