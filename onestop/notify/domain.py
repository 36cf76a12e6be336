from __future__ import annotations

import re

_PHONE = re.compile(r"^\+7\d{10}$")


def normalise_kz_phone(raw: str) -> str | None:
    """+7XXXXXXXXXX from the ways people type mobile numbers (8 700..., 7700..., +7 700...)."""
    digits = re.sub(r"[\s()\-]", "", raw or "")
    if digits.startswith("8") and len(digits) == 11:
        digits = "+7" + digits[1:]
    elif digits.startswith("7") and len(digits) == 11:
        digits = "+" + digits
    return digits if _PHONE.match(digits) else None
