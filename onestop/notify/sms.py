"""The SMS gateway edge. OneStop talks to an `SmsBackend`; which one is a setting.

`OutboxSmsBackend` is the working demo: it accepts every message, so the delivery log (and the
development inbox built on it) shows exactly what a citizen would have received.
"""

from __future__ import annotations

import logging
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


def sms_backend() -> SmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    backend: SmsBackend = backend_class()
    return backend
