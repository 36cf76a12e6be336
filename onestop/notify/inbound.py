"""Inbound SMS: a citizen's command in, one answer out by SMS, in the command's language.

`handle_inbound` is what the gateway's webhook calls. The gateway's message id makes it
idempotent: the first delivery is claimed in the database before anything is answered, so a
retried webhook gets the first answer back and the citizen gets one SMS. The answer is sent
after that transaction has committed (never an SMS inside a transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onestop.audit import services as audit
from onestop.cases import access as case_access
from onestop.cases import selectors as cases
from onestop.cases.domain import CLOCK_RUNNING, CaseStatus
from onestop.cases.models import Application
from onestop.core import clock
from onestop.core.errors import InvalidInput, OneStopError
from onestop.core.i18n import LANGUAGE_CODES
from onestop.notify import services as notify
from onestop.notify.domain import normalise_kz_phone
from onestop.notify.inbound_domain import COMMAND_WORDS, Command, CommandKind, fit, mask_iins, parse
from onestop.notify.models import InboundMessage
from onestop.queue import bookings
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.models import Booking

K = CommandKind

# Who is asked when a message is not understood and nothing is known about the sender.
FALLBACK_LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class InboundReply:
    text: str
    message_id: int | None  # our outgoing SMS; None if an earlier delivery was cut short
    repeated: bool = False  # a retried delivery: answered before, not sent again


def handle_inbound(*, sender: str, text: str, gateway_id: str | None) -> InboundReply:
    """Answer one inbound message by SMS to its sender, once per gateway message id."""
    phone = normalise_kz_phone(sender)
    if phone is None:
        raise InvalidInput(
            _("The sender is not a Kazakhstan mobile number."), code="invalid_sender"
        )
    key = (gateway_id or "").strip()[:100] or None
    if key is not None and (earlier := _answered(key)) is not None:
        return earlier
    text = (text or "").replace("\x00", "")
    command = parse(text)
    known = command.language or _language_of(phone)
    language = known or FALLBACK_LANGUAGES[0]
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                sender=phone,
                text=mask_iins(text)[:2000],
                gateway_id=key,
                received_at=clock.now(),
                command=command.kind,
                language=language,
                reply_text="",
            )
            reply = _answer(command, phone, known)
            inbound.reply_text = reply
            inbound.save(update_fields=["reply_text"])
            audit.record(
                actor=None,
                action="notify.sms_inbound",
                target=inbound,
                data={"command": command.kind},
            )
    except IntegrityError:
        # The same message id arrived twice at once: the other delivery answers it.
        earlier = _answered(key) if key is not None else None
        if earlier is None:
            raise
        return earlier
    with translation.override(language):
        message = notify.send_sms(to=phone, text=reply)
    InboundMessage.objects.filter(pk=inbound.pk, reply__isnull=True).update(reply=message)
    return InboundReply(text=reply, message_id=message.pk)


def _answered(gateway_id: str) -> InboundReply | None:
    earlier = InboundMessage.objects.filter(gateway_id=gateway_id).first()
    if earlier is None:
        return None
    return InboundReply(text=earlier.reply_text, message_id=earlier.reply_id, repeated=True)


def _language_of(phone: str) -> str | None:
    """The language of the sender's latest booking or application, if any. (A read of the
    queue's and the applications' tables by phone, which neither context offers yet.)"""
    latest = [
        Booking.objects.filter(phone=phone)
        .order_by("-created_at")
        .values_list("created_at", "language")
        .first(),
        Application.objects.filter(phone=phone)
        .order_by("-registered_at")
        .values_list("registered_at", "language")
        .first(),
    ]
    known = sorted(row for row in latest if row is not None and row[1] in LANGUAGE_CODES)
    return known[-1][1] if known else None


def _answer(command: Command, phone: str, language: str | None) -> str:
    """The answer's text, at most two SMS parts long."""
    if language is None:
        helps = []
        for each in FALLBACK_LANGUAGES:
            with translation.override(each):
                helps.append(_help(each))
        return fit("\n".join(helps))
    with translation.override(language):
        if command.kind == K.STATUS:
            text = _status(command, phone, language)
        elif command.kind == K.BOOKING:
            text = _booking(command, phone)
        elif command.kind == K.CANCEL:
            text = _cancel(command, phone, language)
        else:
            text = _help(language)
        return fit(text)


def _help(language: str) -> str:
    words = COMMAND_WORDS[language]
    return _("Commands: %(status)s <number> <IIN>; %(booking)s [code]; %(cancel)s <code>") % {
        "status": words[K.STATUS],
        "booking": words[K.BOOKING],
        "cancel": words[K.CANCEL],
    }


def _lookup_allowed(phone: str) -> None:
    """Look-ups by SMS count against the sender's phone, like the status page's per address."""
    case_access.check_lookup_rate(f"sms:{phone}")


# --- STATUS ----------------------------------------------------------------------------------


def _status(command: Command, phone: str, language: str) -> str:
    if not command.complete:
        return _("Send: %(command)s <application number> <IIN>") % {
            "command": COMMAND_WORDS[language][K.STATUS]
        }
    try:
        _lookup_allowed(phone)
        # A wrong number and a wrong IIN get the same answer.
        case = cases.application_for_citizen(command.number, command.iin)
    except OneStopError as problem:
        return problem.detail
    return _status_text(case)


def _status_text(case: Application) -> str:
    """The status page's wording, short; the IIN is never repeated."""
    status = CaseStatus(case.status)
    fields = {
        "number": case.number,
        "status": str(status.label),
        "date": date_format(clock.local_date(case.deadline_at), "SHORT_DATE_FORMAT"),
        "centre": case.centre.name,
        "address": case.centre.address,
        "note": case.return_note,
        "link": f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('cases:status')}",
    }
    if status in CLOCK_RUNNING and clock.now() > case.deadline_at:
        text = _(
            "%(number)s: %(status)s. The deadline %(date)s has passed: you may complain at %(link)s"
        )
    elif status in CLOCK_RUNNING:
        text = _("%(number)s: %(status)s. Decision due by %(date)s.")
    elif status == CaseStatus.RETURNED:
        text = _("%(number)s: %(status)s: %(note)s. Bring them to %(centre)s.")
    elif status in (CaseStatus.APPROVED, CaseStatus.REFUSED):
        text = _("%(number)s: %(status)s. An SMS will follow when the result is at the centre.")
    elif status == CaseStatus.RESULT_AT_CENTRE:
        text = _("%(number)s: %(status)s: %(centre)s, %(address)s. Bring your identity document.")
    else:
        text = "%(number)s: %(status)s."
    return text % fields


# --- BOOKING and CANCEL -----------------------------------------------------------------------


def _booking_fields(booking: Booking) -> dict[str, str]:
    return {
        "code": booking.code,
        "status": str(BookingStatus(booking.status).label),
        "when": date_format(booking.slot_at.astimezone(clock.ALMATY), "SHORT_DATETIME_FORMAT"),
        "centre": booking.centre.name,
        "service": booking.service.name,
    }


def _booking(command: Command, phone: str) -> str:
    if not command.code:
        return _how_to_book()
    try:
        _lookup_allowed(phone)
        booking = bookings.booking_by_code(command.code)
    except OneStopError as problem:
        return problem.detail
    return _("Booking %(code)s: %(status)s. %(when)s, %(centre)s. %(service)s") % (
        _booking_fields(booking)
    )


def _how_to_book() -> str:
    link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('booking:book')}"
    call_centre = settings.CALL_CENTRE_PHONE
    if call_centre:
        return _("To book a visit: %(link)s or call %(phone)s.") % {
            "link": link,
            "phone": call_centre,
        }
    return _("To book a visit: %(link)s") % {"link": link}


def _cancel(command: Command, phone: str, language: str) -> str:
    if not command.complete:
        return _("Send: %(command)s <booking code>") % {
            "command": COMMAND_WORDS[language][K.CANCEL]
        }
    try:
        _lookup_allowed(phone)
        booking = bookings.booking_by_code(command.code)
        if booking.phone != phone:
            return _(
                "This booking was made with another phone number: cancel it from that "
                "number or on the portal."
            )
        booking = bookings.cancel(booking=booking, actor=None, text_citizen=False)
    except OneStopError as problem:
        return problem.detail
    return _("Booking %(code)s (%(when)s, %(centre)s) is cancelled.") % _booking_fields(booking)
