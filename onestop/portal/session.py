"""Who the citizen at this browser is, once identified by IIN and a one-time SMS code.

The session keeps the IIN and when the identification expires; nothing else about the person.
Between asking for a code and typing it, it keeps the IIN the code was sent for (a form field
would do too, but this way the code page needs nothing from the browser but the code).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest

from onestop.core import clock

IIN_KEY = "citizen_iin"
UNTIL_KEY = "citizen_until"
PENDING_KEY = "citizen_pending_iin"


def identified_iin(request: HttpRequest) -> str | None:
    """The IIN this browser proved by a one-time code, while that proof is fresh."""
    iin = request.session.get(IIN_KEY)
    until = request.session.get(UNTIL_KEY)
    if not iin or not until or clock.now().timestamp() >= float(until):
        return None
    return str(iin)


def remember(request: HttpRequest, iin: str) -> None:
    request.session.cycle_key()  # a new session id on identification: no fixation
    request.session[IIN_KEY] = iin
    ttl = timedelta(seconds=settings.CITIZEN_SESSION_SECONDS)
    request.session[UNTIL_KEY] = (clock.now() + ttl).timestamp()
    request.session.pop(PENDING_KEY, None)


def forget(request: HttpRequest) -> None:
    request.session.pop(IIN_KEY, None)
    request.session.pop(UNTIL_KEY, None)
    request.session.pop(PENDING_KEY, None)


def await_code(request: HttpRequest, iin: str) -> None:
    """A code was sent for this IIN; the next step checks it."""
    request.session[PENDING_KEY] = iin


def pending_iin(request: HttpRequest) -> str | None:
    """The IIN a code was sent for and not yet confirmed, if any."""
    iin = request.session.get(PENDING_KEY)
    return str(iin) if iin else None
