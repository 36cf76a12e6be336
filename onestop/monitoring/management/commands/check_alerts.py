"""Raise and resolve the Situational Centre's alerts: run every minute from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.monitoring import alerts


class Command(BaseCommand):
    help = "Check every centre and department for alert conditions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = alerts.check_alerts()
        self.stdout.write(f"raised {len(report.raised)}, resolved {len(report.resolved)} alerts")
