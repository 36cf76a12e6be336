"""Identifying a citizen by IIN and a one-time SMS code, pure: the code, its keyed hash, its
clock and attempts, how often a new one may be sent, and how a phone or IIN is shown.

Only a keyed hash of a code is stored, so a copy of the database does not hand out codes still
valid; the key is the site's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

CODE_LENGTH = 6


@dataclass(frozen=True)
class ResendPolicy:
    """One new code per `cool_down`, at most `per_hour` codes an hour, for one IIN."""

    cool_down: timedelta = timedelta(seconds=60)
    per_hour: int = 5


def new_code() -> str:
    """Six random digits from the operating system's secure generator."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_hash(*, iin: str, code: str, key: str) -> str:
    """HMAC-SHA256 of the code bound to its IIN: the same code for another IIN hashes apart."""
    message = f"otp:{iin}:{code}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def code_matches(*, stored_hash: str, iin: str, code: str, key: str) -> bool:
    """Compare in constant time, so the answer's timing says nothing about the digits."""
    return hmac.compare_digest(stored_hash, code_hash(iin=iin, code=code, key=key))


def clean_code(raw: str) -> str | None:
    """The code as typed (spaces and dashes allowed between digits), or None if it is not
    six plain digits."""
    digits = "".join(ch for ch in (raw or "") if ch not in " -\t")
    if len(digits) == CODE_LENGTH and digits.isascii() and digits.isdigit():
        return digits
    return None


def is_expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at


def attempts_left(attempts: int, max_attempts: int) -> int:
    return max(0, max_attempts - attempts)


@dataclass(frozen=True)
class Wait:
    """How long until another code may be sent, and whether the hour's allowance is used up
    (rather than the short cool-down after the last code)."""

    delay: timedelta
    hourly: bool


def resend_wait(sent: Sequence[datetime], now: datetime, policy: ResendPolicy) -> Wait | None:
    """When the next code may be sent, given when the earlier ones were; None: right now."""
    recent = sorted(moment for moment in sent if moment > now - timedelta(hours=1))
    if len(recent) >= policy.per_hour:
        # The allowance frees up when the oldest code that used it leaves the hour.
        freed = recent[len(recent) - policy.per_hour] + timedelta(hours=1)
        cooled = recent[-1] + policy.cool_down
        return Wait(delay=max(freed, cooled) - now, hourly=True)
    if recent and now - recent[-1] < policy.cool_down:
        return Wait(delay=recent[-1] + policy.cool_down - now, hourly=False)
    return None


def lifetime_minutes(ttl_seconds: int) -> int:
    """A code's lifetime in whole minutes as told to the citizen (rounded up, at least 1)."""
    return max(1, -(-ttl_seconds // 60))


def masked_phone(phone: str) -> str:
    """+77011235678 → "+7 7** *** 56 78": enough to recognise one's own number."""
    if len(phone) != 12 or not phone.startswith("+7"):
        return "•" * 4 + phone[-4:]
    digits = phone[2:]
    return f"+7 {digits[0]}** *** {digits[6:8]} {digits[8:10]}"


def masked_iin(iin: str) -> str:
    """The first two and the last two digits; for audit entries and logs."""
    return f"{iin[:2]}{'•' * 8}{iin[-2:]}" if len(iin) == 12 else "•" * len(iin)


def iin_reference(iin: str, key: str) -> str:
    """A stable keyed pseudonym of an IIN, so an auditor can tell one citizen's requests
    together without the audit trail holding the number."""
    return hmac.new(key.encode(), f"iin:{iin}".encode(), hashlib.sha256).hexdigest()[:16]
