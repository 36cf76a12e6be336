"""What a citizen who left a phone is told about their booking, in the booking's language:
booked (with the code and the booking page's link), moved, cancelled. Runs after the change
has committed: no SMS for a booking that rolled back, none inside a transaction."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.notify import services as notify
from onestop.queue.models import Booking


def booking_link(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/bookings/{code}/"


def _tell(booking_id: int, text: str | Promise, **extra: str) -> None:
    booking = Booking.objects.select_related("centre", "service").get(pk=booking_id)
    if not booking.phone:
        return
    with translation.override(booking.language):
        fields = {
            "code": booking.code,
            "centre": booking.centre.name,
            "when": date_format(booking.slot_at.astimezone(clock.ALMATY), "SHORT_DATETIME_FORMAT"),
            "link": booking_link(booking.code),
            "book": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/book/",
            **extra,
        }
        # A number the gateway refuses after the form accepted it: the booking stands.
        with contextlib.suppress(InvalidInput):
            notify.send_sms(to=booking.phone, text=str(text) % fields)


def booked(*, booking_id: int) -> None:
    _tell(
        booking_id,
        _(
            "OneStop: you are booked at %(centre)s for %(when)s, code %(code)s. Check in at "
            "the kiosk with this code. Details or cancel: %(link)s"
        ),
    )


def moved(*, booking_id: int, old_code: str) -> None:
    _tell(
        booking_id,
        _(
            "OneStop: your booking is moved to %(when)s at %(centre)s, new code %(code)s "
            "(code %(old)s no longer works). Details: %(link)s"
        ),
        old=old_code,
    )


def cancelled(*, booking_id: int) -> None:
    _tell(
        booking_id,
        _(
            "OneStop: booking %(code)s for %(when)s at %(centre)s is cancelled. "
            "To book again: %(book)s"
        ),
    )
