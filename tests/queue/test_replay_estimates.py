from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onestop.audit.models import AuditEntry
from onestop.events.models import OutboxEvent
from onestop.queue.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_replayed_day_reports_the_estimate_error_and_leaves_nothing_behind(demo: None) -> None:
    before = (Ticket.objects.count(), AuditEntry.objects.count(), OutboxEvent.objects.count())
    out = io.StringIO()
    call_command("replay_estimates", "--arrivals", "40", "--seed", "3", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["centre"] == "AST-01"
    assert report["arrivals"] == 40
    everyone = report["groups"]["all"]
    # Every visitor of the replay was called and compared with the estimate they were shown.
    assert everyone["tickets"] + report["unserved"] == 40
    assert everyone["tickets"] > 0
    assert 0 <= everyone["share_within_5_minutes"] <= 1
    assert everyone["mean_absolute_error_minutes"] >= abs(everyone["mean_error_minutes"])
    walk_in, priority = report["groups"]["walk_in"], report["groups"]["priority"]
    assert walk_in["tickets"] + priority.get("tickets", 0) == everyone["tickets"]
    # The replay ran in a transaction that was rolled back.
    after = (Ticket.objects.count(), AuditEntry.objects.count(), OutboxEvent.objects.count())
    assert after == before


def test_the_same_seed_replays_the_same_day(demo: None) -> None:
    runs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("replay_estimates", "--arrivals", "25", "--seed", "7", "--json", stdout=out)
        runs.append(json.loads(out.getvalue()))
    assert runs[0] == runs[1]


def test_an_unknown_centre_is_refused(demo: None) -> None:
    with pytest.raises(CommandError, match="No centre"):
        call_command("replay_estimates", "--centre", "NOPE-01", stdout=io.StringIO())
