"""Identifying a citizen: a one-time code sent by SMS to the number the mobile citizens'
database holds for the IIN, and its check.

A code lives `OTP_TTL_SECONDS`, allows `OTP_MAX_ATTEMPTS` wrong tries, works once, and only the
latest code of an IIN counts. New codes are rationed per IIN (`OTP_RESEND_SECONDS`,
`OTP_MAX_PER_HOUR`), so nobody can flood a phone or guess their way in.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.audit import services as audit
from onestop.cases.registries import registry
from onestop.core import clock
from onestop.core.errors import Conflict, InvalidInput, NotFound
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.notify.models import MessageStatus
from onestop.notify.services import send_sms
from onestop.portal import identity_domain as domain
from onestop.portal.models import OneTimeCode
from onestop.portal.selectors_citizen import latest_code

USED = _("This code has been used already. Ask for a new one.")


def ttl_seconds() -> int:
    return int(settings.OTP_TTL_SECONDS)


def max_attempts() -> int:
    return int(settings.OTP_MAX_ATTEMPTS)


def resend_policy() -> domain.ResendPolicy:
    return domain.ResendPolicy(
        cool_down=timedelta(seconds=settings.OTP_RESEND_SECONDS),
        per_hour=settings.OTP_MAX_PER_HOUR,
    )


def _clean_iin(raw: str) -> str:
    try:
        return parse_iin(raw or "").value
    except InvalidIIN:
        raise InvalidInput(
            _("This is not a valid IIN: check its 12 digits."), code="invalid_iin"
        ) from None


def _audit_data(iin: str, **extra: str) -> dict[str, str]:
    return {
        "iin": domain.masked_iin(iin),
        "iin_ref": domain.iin_reference(iin, settings.SECRET_KEY),
        **extra,
    }


def _check_rationing(iin: str) -> None:
    now = clock.now()
    sent = list(
        OneTimeCode.objects.filter(iin=iin, created_at__gt=now - timedelta(hours=1)).values_list(
            "created_at", flat=True
        )
    )
    wait = domain.resend_wait(sent, now, resend_policy())
    if wait is None:
        return
    if not wait.hourly:
        raise Conflict(
            _("A code was sent a moment ago. You can ask for a new one in %(seconds)s s."),
            code="resend_too_soon",
            seconds=max(1, math.ceil(wait.delay.total_seconds())),
        )
    raise Conflict(
        _("Too many codes were asked for this IIN in the last hour. Try again after %(time)s."),
        code="too_many_codes",
        time=formats.time_format(clock.local_now() + wait.delay, "H:i"),
    )


def _serialise_codes_of(iin: str) -> None:
    """Two requests for one IIN at the same moment must not both pass the rationing: on
    PostgreSQL they queue on a transaction lock keyed by the IIN; SQLite's IMMEDIATE
    transaction already holds the one write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"otp:{iin}"])


def send_code(*, iin: str, language: str) -> OneTimeCode:
    """Send a new one-time code to the IIN's registered mobile number, in `language`."""
    clean = _clean_iin(iin)
    phone = registry().mobile_phone(clean)
    if not phone:
        raise NotFound(
            _(
                "No mobile number is registered for this IIN. To register yours, visit any "
                "public service centre with your identity document."
            ),
            code="no_phone",
        )
    code = domain.new_code()
    now = clock.now()
    with transaction.atomic():
        _serialise_codes_of(clean)
        _check_rationing(clean)
        sent = OneTimeCode.objects.create(
            iin=clean,
            code_hash=domain.code_hash(iin=clean, code=code, key=settings.SECRET_KEY),
            phone=phone,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds()),
        )
        audit.record(
            actor=None,
            action="portal.code_sent",
            target=sent,
            data=_audit_data(clean, phone=domain.masked_phone(phone)),
        )
    # The gateway is called after the commit: no database lock is held while it answers.
    with translation.override(language if language in ("kk", "ru", "en") else "kk"):
        text = gettext(
            "OneStop code: %(code)s. Valid for %(minutes)s min. Do not tell it to anyone, "
            "centre staff included."
        ) % {"code": code, "minutes": domain.lifetime_minutes(ttl_seconds())}
        message = send_sms(to=phone, text=text)
    if message.status != MessageStatus.SENT:
        raise Conflict(
            _("The SMS could not be sent just now. Try again in a minute."), code="sms_failed"
        )
    return sent


def verify_code(*, iin: str, code: str) -> OneTimeCode:
    """Check the code typed for this IIN; answers the code, now used, or raises.

    A wrong code costs an attempt; when none are left, or the code has expired or been used,
    only a new code helps. Two checks of the same right code at once: one wins, by the
    conditional UPDATE that marks it used."""
    clean = _clean_iin(iin)
    typed = domain.clean_code(code)
    if typed is None:
        raise InvalidInput(_("Enter the 6 digits of the code from the SMS."), code="invalid_code")
    current = latest_code(clean)
    if current is None:
        raise Conflict(_("Ask for a code first."), code="no_code")
    _check_alive(current)
    now = clock.now()
    alive = OneTimeCode.objects.filter(
        pk=current.pk, used_at__isnull=True, attempts__lt=max_attempts(), expires_at__gt=now
    )
    if not domain.code_matches(
        stored_hash=current.code_hash, iin=clean, code=typed, key=settings.SECRET_KEY
    ):
        with transaction.atomic():
            alive.update(attempts=F("attempts") + 1)
        current.refresh_from_db(fields=["attempts", "used_at"])
        left = domain.attempts_left(current.attempts, max_attempts())
        if current.used_at is not None or left == 0:
            raise Conflict(
                _("Wrong code, and that was the last try. Ask for a new code."),
                code="too_many_attempts",
            )
        raise InvalidInput(_("Wrong code. Tries left: %(left)s."), code="wrong_code", left=left)
    with transaction.atomic():
        if not alive.update(used_at=now):
            current.refresh_from_db()
            _check_alive(current)
            raise Conflict(USED, code="code_used")  # not reached: the refresh shows why
        current.used_at = now
        audit.record(
            actor=None, action="portal.identified", target=current, data=_audit_data(clean)
        )
    return current


def _check_alive(current: OneTimeCode) -> None:
    if current.used_at is not None:
        raise Conflict(USED, code="code_used")
    if current.attempts >= max_attempts():
        raise Conflict(
            _("Too many wrong tries for this code. Ask for a new code."),
            code="too_many_attempts",
        )
    if domain.is_expired(current.expires_at, clock.now()):
        raise Conflict(_("The code has expired. Ask for a new one."), code="code_expired")
