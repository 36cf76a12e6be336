"""The SMS gateway edge. OneStop talks to an `SmsBackend`; which one is a setting.

`OutboxSmsBackend` is the working demo: it accepts every message, so the delivery log (and the
development inbox built on it) shows exactly what a citizen would have received.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsDeliveryError(Exception):
    pass


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Hand one message to the gateway; raise SmsDeliveryError when it refuses."""


class OutboxSmsBackend:
    """Demo gateway: nothing leaves the machine; the delivery log is the inbox."""

    def send(self, *, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)


class HttpSmsBackend:
    """A gateway that takes `POST {SMS_GATEWAY_URL}` with JSON `{"to", "text", "sender"}` and
    a bearer token, and answers 2xx when it accepted the message (the shape Kazakhstan's
    aggregators' REST APIs share). Anything else is a refusal, with the gateway's reason."""

    def send(self, *, to: str, text: str) -> None:
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise SmsDeliveryError("SMS_GATEWAY_URL is not set")
        body = json.dumps({"to": to, "text": text, "sender": settings.SMS_SENDER}).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as answer:
                answer.read()
        except urllib.error.HTTPError as refused:
            reason = refused.read().decode(errors="replace")[:200]
            raise SmsDeliveryError(f"gateway answered {refused.code}: {reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as unreachable:
            raise SmsDeliveryError(f"gateway unreachable: {unreachable}") from None


def sms_backend() -> SmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    backend: SmsBackend = backend_class()
    return backend
