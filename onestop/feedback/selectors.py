from __future__ import annotations

from django.db.models import QuerySet

from onestop.centres.models import Centre
from onestop.feedback.models import FollowUp


def follow_ups(centre: Centre, *, answered: bool) -> QuerySet[FollowUp]:
    """A centre's follow-ups, the nearest clock first (answered ones: the latest first)."""
    found = FollowUp.objects.filter(centre=centre, answered_at__isnull=not answered)
    return found.select_related("rating", "rating__service").order_by(
        "-answered_at" if answered else "due_at"
    )
