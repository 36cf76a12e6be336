"""Kazakhstan individual identification numbers (IIN): validation and decoding.

Layout ``YYMMDD G NNNN C``: birth date, a century/sex digit, a serial and a mod-11 check digit.
Pure Python on purpose: forms, the API and the queue all validate IINs, and none of them should
need a database to do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Reason = Literal["format", "century", "date", "checksum", "unissuable"]
Sex = Literal["M", "F"]

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Century/sex digit -> first year of the century. Digits 0 and 7-9 are not issued.
_CENTURY_START = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

_MESSAGES: dict[Reason, str] = {
    "format": "an IIN is exactly 12 digits",
    "century": "the 7th digit of an IIN must be 1-6",
    "date": "the first 6 digits of the IIN are not a calendar date",
    "checksum": "the check digit of the IIN is wrong",
    "unissuable": "no valid IIN exists with these first 11 digits",
}


class InvalidIIN(ValueError):
    """An IIN that cannot be valid; ``reason`` says which rule it breaks.

    The message never repeats the number itself: exceptions end up in logs, and an IIN is
    personal data.
    """

    def __init__(self, reason: Reason, message: str | None = None) -> None:
        super().__init__(message or _MESSAGES[reason])
        self.reason: Reason = reason


@dataclass(frozen=True)
class IIN:
    value: str
    birth_date: date
    sex: Sex

    def age_on(self, day: date) -> int:
        """Full years on ``day``; someone born on 29 February comes of age on 1 March."""
        if day < self.birth_date:
            raise ValueError("the day is before the birth date")
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


def _is_ascii_digits(text: str, length: int) -> bool:
    # str.isdigit() alone accepts e.g. full-width and Arabic-Indic digits, which int() would
    # then happily convert; an IIN is plain ASCII.
    return len(text) == length and text.isascii() and text.isdigit()


def _weighted_mod11(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11


def check_digit(first11: str) -> int | None:
    """The check digit for the first 11 digits, or None when no IIN can have this body."""
    if not _is_ascii_digits(first11, 11):
        raise InvalidIIN("format", "the body of an IIN is exactly 11 digits")
    digit = _weighted_mod11(first11, _FIRST_WEIGHTS)
    if digit == 10:
        # 10 is not a digit, so the standard falls back to a second, rotated weight set ...
        digit = _weighted_mod11(first11, _SECOND_WEIGHTS)
        if digit == 10:
            # ... and if that also gives 10 the body is simply never issued.
            return None
    return digit


def with_check_digit(first11: str) -> str:
    """The full 12-digit number for a body (for fixtures and tests)."""
    digit = check_digit(first11)
    if digit is None:
        raise InvalidIIN("unissuable")
    return first11 + str(digit)


def _birth_date(digits: str) -> date:
    century_digit = int(digits[6])
    if century_digit not in _CENTURY_START:
        raise InvalidIIN("century")
    year = _CENTURY_START[century_digit] + int(digits[0:2])
    try:
        return date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise InvalidIIN("date") from None


def parse_iin(raw: str) -> IIN:
    """Validate and decode an IIN; surrounding whitespace (e.g. from a scanner) is ignored."""
    digits = raw.strip()
    if not _is_ascii_digits(digits, 12):
        raise InvalidIIN("format")
    # Structure before checksum: "no such date" tells the operator more than "wrong digit".
    birth_date = _birth_date(digits)
    expected = check_digit(digits[:11])
    if expected is None:
        raise InvalidIIN("unissuable")
    if int(digits[11]) != expected:
        raise InvalidIIN("checksum")
    sex: Sex = "M" if int(digits[6]) % 2 == 1 else "F"
    return IIN(value=digits, birth_date=birth_date, sex=sex)


def is_valid_iin(raw: str) -> bool:
    try:
        parse_iin(raw)
    except InvalidIIN:
        return False
    return True


def mask_iin(iin: str) -> str:
    """Enough of an IIN to recognise it on paper or in a log, not enough to reuse it."""
    return f"{iin[:5]}{'•' * 5}{iin[-2:]}" if len(iin) == 12 else "•" * len(iin)
