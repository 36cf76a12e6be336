"""A one-line progress bar for long management commands (benchmarks, simulations)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import timedelta


class Progress:
    """A one-line progress bar on a terminal stream: share done, rows a second, time left."""

    def __init__(
        self,
        total: int,
        label: str,
        write: Callable[[str], object] | None = None,
        *,
        unit: str = "rows",
    ) -> None:
        self.total, self.label, self.done, self.unit = max(total, 1), label, 0, unit
        self.write = write or sys.stderr.write
        self.started = self.shown = time.perf_counter()

    def update(self, rows: int) -> None:
        self.done += rows
        now = time.perf_counter()
        if now - self.shown >= 0.2 or self.done >= self.total:
            self.shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        share = min(self.done / self.total, 1.0)
        rate = self.done / max(now - self.started, 1e-9)
        left = (self.total - self.done) / rate if rate else 0.0
        bar = "#" * int(share * 30)
        self.write(
            f"\r{self.label} [{bar:<30}] {share:6.1%} {self.done:,}/{self.total:,} "
            f"{rate:,.0f} {self.unit}/s ETA {timedelta(seconds=round(left))}"
        )

    def close(self) -> None:
        self._draw(time.perf_counter())
        self.write("\n")
