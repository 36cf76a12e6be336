"""Run daily: results not collected within CASES_UNCOLLECTED_DAYS go back to the department."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.cases.sweeps import return_uncollected


class Command(BaseCommand):
    help = "Return results nobody collected to their department (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        returned = return_uncollected()
        self.stdout.write(f"returned to their departments: {len(returned)}")
