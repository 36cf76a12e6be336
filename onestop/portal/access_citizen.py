"""Who may use the citizen's own pages, and how often a browser may ask for codes."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onestop.core import clock
from onestop.core.errors import NotAuthenticated, OneStopError
from onestop.portal import session


class TooManyCodeRequests(OneStopError):
    status = 429
    default_code = "too_many_code_requests"


def citizen_iin(request: HttpRequest) -> str:
    """The IIN this browser proved; the pages send everybody else to sign in."""
    iin = session.identified_iin(request)
    if iin is None:
        raise NotAuthenticated(_("Sign in with your IIN and a code by SMS."))
    return iin


def check_code_request_rate(client_address: str) -> None:
    """At most `OTP_SENDS_PER_ADDRESS_PER_HOUR` codes asked from one address an hour, on top
    of the per-IIN rationing: one browser cannot spray codes over many people's phones.
    Counted in the cache (per process unless a shared cache is configured)."""
    allowed = settings.OTP_SENDS_PER_ADDRESS_PER_HOUR
    hour = int(clock.now().timestamp()) // 3600
    key = f"otp-requests:{client_address}:{hour}"
    cache.add(key, 0, timeout=3700)
    if cache.incr(key) > allowed:
        raise TooManyCodeRequests(_("Too many codes asked from here: try again later."))
