from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db.models import QuerySet

from onestop.centres.models import Centre
from onestop.feedback.models import FollowUp, Rating


def follow_ups(centre: Centre, *, answered: bool) -> QuerySet[FollowUp]:
    """A centre's follow-ups, the nearest clock first (answered ones: the latest first)."""
    found = FollowUp.objects.filter(centre=centre, answered_at__isnull=not answered)
    return found.select_related("rating", "rating__service").order_by(
        "-answered_at" if answered else "due_at"
    )


def rated_ticket_ids(ids: Iterable[uuid.UUID | str]) -> set[uuid.UUID]:
    """Which of these tickets (visits) have been rated already."""
    wanted = [uuid.UUID(str(pk)) for pk in ids]
    if not wanted:
        return set()
    found = Rating.objects.filter(ticket_id__in=wanted).values_list("ticket_id", flat=True)
    return {pk for pk in found if pk is not None}
