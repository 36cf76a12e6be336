"""Run periodically (e.g. every 15 minutes): complaints the provider left unanswered past
their term go to a quality reviewer, and the citizen is told. Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.feedback.complaints.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate complaints not answered within the provider's term (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = escalate_overdue()
        self.stdout.write(f"escalated: {len(escalated)} {' '.join(escalated)}".rstrip())
