"""Several requests for a code for one IIN at the same moment: the rationing lets one through,
on SQLite (one write lock) and on PostgreSQL (a transaction lock keyed by the IIN)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from onestop.core.errors import Conflict
from onestop.portal import identity
from onestop.portal.models import OneTimeCode

IIN = "850704200017"  # a demo applicant with a registered mobile number
RACERS = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_code_requests_for_one_iin_send_one_code() -> None:
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def ask() -> None:
        try:
            barrier.wait(timeout=30)
            identity.send_code(iin=IIN, language="ru")
            outcomes.append("sent")
        except Conflict as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    racers = [threading.Thread(target=ask) for _ in range(RACERS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    assert sorted(outcomes) == ["resend_too_soon"] * (RACERS - 1) + ["sent"]
    assert OneTimeCode.objects.filter(iin=IIN).count() == 1
