from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from onestop.audit import services as audit
from onestop.core.models import MonthlyCalculationIndex
from onestop.events import services as events

if TYPE_CHECKING:
    from onestop.accounts.models import User


def set_mci(
    *, year: int, tenge: Decimal, legal_basis: str = "", actor: User | None = None
) -> MonthlyCalculationIndex:
    with transaction.atomic():
        row, created = MonthlyCalculationIndex.objects.update_or_create(
            year=year, defaults={"tenge": tenge, "legal_basis": legal_basis}
        )
        audit.record(
            actor=actor,
            action="core.mci_set",
            target=row,
            data={"year": year, "tenge": tenge, "created": created},
        )
        events.publish(topic="core.mci_set", payload={"year": year, "tenge": tenge})
    return row
