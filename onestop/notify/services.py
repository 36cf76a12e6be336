from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.audit import services as audit
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.core.i18n import current_language
from onestop.notify.domain import normalise_kz_phone
from onestop.notify.models import Message, MessageChannel, MessageStatus
from onestop.notify.sms import SmsDeliveryError, sms_backend


def send_sms(*, to: str, text: str) -> Message:
    """Send one SMS through the configured gateway and log the attempt (sent or failed)."""
    phone = normalise_kz_phone(to)
    if phone is None:
        raise InvalidInput(_("Enter a Kazakhstan mobile number, e.g. +7 701 234 56 78."))
    status, error = MessageStatus.SENT, ""
    try:
        sms_backend().send(to=phone, text=text)
    except SmsDeliveryError as exc:
        status, error = MessageStatus.FAILED, str(exc)[:300]
    with transaction.atomic():
        message = Message.objects.create(
            channel=MessageChannel.SMS,
            recipient=phone,
            body=text,
            language=current_language(),
            status=status,
            error=error,
            created_at=clock.now(),
        )
        audit.record(actor=None, action="notify.sms", target=message, data={"status": status})
    return message


def send_email(*, to: str, subject: str, text: str) -> Message:
    status, error = MessageStatus.SENT, ""
    try:
        send_mail(subject, text, None, [to])
    except OSError as exc:  # SMTP errors are OSErrors (smtplib.SMTPException included)
        status, error = MessageStatus.FAILED, str(exc)[:300]
    with transaction.atomic():
        message = Message.objects.create(
            channel=MessageChannel.EMAIL,
            recipient=to,
            subject=subject,
            body=text,
            language=current_language(),
            status=status,
            error=error,
            created_at=clock.now(),
        )
        audit.record(actor=None, action="notify.email", target=message, data={"status": status})
    return message
