"""Fees are set in MCI and shown in tenge for the year in question (pure arithmetic)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def mci_to_tenge(amount_mci: Decimal, mci_value: Decimal) -> Decimal:
    """Whole tenge, half up: receipts and cash registers do not show tiyn for state fees."""
    return (amount_mci * mci_value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
