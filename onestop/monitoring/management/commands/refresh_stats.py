"""Fold the outbox into the statistics: run every minute from cron, or with --loop."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.monitoring import aggregates


class Command(BaseCommand):
    help = "Bring the monitoring aggregates up to date with the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep folding, every --every s.")
        parser.add_argument("--every", type=float, default=5.0)
        parser.add_argument("--batch", type=int, default=aggregates.BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            folded = aggregates.refresh(batch=options["batch"])
            self.stdout.write(f"folded {folded} events")
            if not options["loop"]:
                return
            time.sleep(options["every"])
