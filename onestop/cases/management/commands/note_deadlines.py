"""Run periodically (e.g. every 15 minutes): mark applications due soon and overdue, tell
department heads and, when a deadline passed, the citizen. Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.cases.sweeps import note_deadlines


class Command(BaseCommand):
    help = "Mark applications near or past their deadline and notify (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = note_deadlines()
        self.stdout.write(
            f"due soon: {len(report.due_soon)} newly marked, overdue: {len(report.overdue)} "
            "newly marked"
        )
