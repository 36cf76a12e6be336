"""The one clock seam: every "now" in OneStop comes from here, so tests can move time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

ALMATY = ZoneInfo("Asia/Almaty")

_lock = threading.Lock()
_frozen: datetime | None = None


def now() -> datetime:
    """The current moment, aware, in UTC."""
    frozen = _frozen
    return frozen if frozen is not None else timezone.now()


def local_now() -> datetime:
    return now().astimezone(ALMATY)


def local_date(moment: datetime) -> date:
    """The Almaty calendar date of an aware moment."""
    return moment.astimezone(ALMATY).date()


def today() -> date:
    """Today's date in Asia/Almaty, where deadlines and opening hours are counted."""
    return local_now().date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Stop the clock at `moment` (aware) for the duration of the block; for tests and replays."""
    global _frozen
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    with _lock:
        previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        with _lock:
            _frozen = previous


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward (inside `frozen_at`)."""
    global _frozen
    with _lock:
        if _frozen is None:
            raise RuntimeError("advance() needs a frozen clock")
        _frozen = _frozen + delta
