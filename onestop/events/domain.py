"""Rules of reading the outbox in order, pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# How long a hole in the outbox's ids is waited for before it is taken to be a rolled-back
# transaction's burnt id rather than a slower one still committing.
GAP_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class Horizon:
    """How far the outbox has been read without a hole: every id up to `cursor` has been
    seen or given up on; `gap_since` is when the reader first found the next id missing."""

    cursor: int
    gap_since: float | None = None


def advance(
    horizon: Horizon, ids: Sequence[int], now: float, grace: float = GAP_GRACE_SECONDS
) -> tuple[Horizon, int]:
    """Given the ids above the cursor that are visible now (ascending), how many of them may
    be delivered, and the new horizon.

    On PostgreSQL ids are handed out when rows are inserted, not when they commit: id 8 can
    be visible while id 7's transaction is still committing. Delivering 8 and moving on would
    lose 7 for good, so delivery stops at a hole until it fills — or, after `grace` seconds,
    the hole is accepted as an id burnt by a rollback (those never fill)."""
    cursor, delivered = horizon.cursor, 0
    gap_since = horizon.gap_since
    for event_id in ids:
        if event_id == cursor + 1:
            cursor, delivered, gap_since = event_id, delivered + 1, None
            continue
        if gap_since is None:
            gap_since = now
        if now - gap_since < grace:
            break
        cursor, delivered, gap_since = event_id, delivered + 1, None  # the hole will not fill
    return Horizon(cursor=cursor, gap_since=gap_since), delivered
