"""`{% complaint_offer case %}`: on a citizen's view of an application whose legal deadline
was missed, the offer of a complaint prefilled for it."""

from __future__ import annotations

from typing import Any

from django import template

from onestop.cases.models import Application
from onestop.feedback.complaints.selectors import complaint_offer as offer_for

register = template.Library()


@register.inclusion_tag("complaints/_offer.html")
def complaint_offer(case: Application | None) -> dict[str, Any]:
    return {"offer": offer_for(case) if case is not None else None}
