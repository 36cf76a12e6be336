from __future__ import annotations

from onestop.events.models import OutboxEvent


def events_after(
    last_id: int, *, centre_code: str | None = None, up_to: int | None = None, limit: int = 500
) -> list[OutboxEvent]:
    """Events with an id above `last_id` (and at most `up_to`), oldest first."""
    query = OutboxEvent.objects.filter(id__gt=last_id)
    if up_to is not None:
        query = query.filter(id__lte=up_to)
    if centre_code is not None:
        query = query.filter(centre_code=centre_code)
    return list(query.order_by("id")[:limit])
