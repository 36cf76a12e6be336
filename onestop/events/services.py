from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from onestop.core import clock, sql
from onestop.events.models import OutboxEvent


def publish(*, topic: str, payload: dict[str, Any], centre_code: str = "") -> OutboxEvent:
    """Write an event to the outbox inside the caller's transaction: it becomes visible to
    streams exactly when the change commits, and never for a change that rolled back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events.publish() must be called inside the business transaction")
    event = OutboxEvent(
        created_at=clock.now(),
        topic=topic,
        centre_code=centre_code,
        payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
    )
    sql.insert(event)  # a hot path: every queue action publishes
    return event
