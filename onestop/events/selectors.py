from __future__ import annotations

from onestop.events.models import OutboxEvent


def events_after(
    last_id: int, *, centre_code: str | None = None, limit: int = 500
) -> list[OutboxEvent]:
    """Events with an id above `last_id`, oldest first: what a reconnecting stream missed."""
    query = OutboxEvent.objects.filter(id__gt=last_id)
    if centre_code is not None:
        query = query.filter(centre_code=centre_code)
    return list(query.order_by("id")[:limit])
