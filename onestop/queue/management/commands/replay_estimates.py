"""How good is the waiting-time estimate on a ticket? Replay a centre's day through the real
queue services and compare each ticket's estimate with the wait that followed. The replay
is rolled back: nothing it does stays in the database."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.centres.models import Centre
from onestop.queue.replay import replay_day


class Command(BaseCommand):
    help = "Replay a day at a centre and report the error of the waiting-time estimate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", default="AST-01")
        parser.add_argument("--date", default="2026-11-30", help="YYYY-MM-DD (09:00–20:00)")
        parser.add_argument("--arrivals", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Centre.objects.filter(code=options["centre"]).exists():
            raise CommandError(f"No centre {options['centre']}: run `manage.py load_demo` first.")
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        result = replay_day(
            centre_code=options["centre"],
            day=day,
            arrivals=options["arrivals"],
            seed=options["seed"],
        )
        groups = {
            "all": result.summary(),
            "walk_in": result.summary(priority=False),
            "priority": result.summary(priority=True),
        }
        if options["json"]:
            payload = {
                "centre": result.centre,
                "date": result.day.isoformat(),
                "arrivals": result.arrivals,
                "unserved": result.unserved,
                "groups": groups,
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(
            f"{result.centre} {result.day}: {result.arrivals} arrivals, "
            f"{result.arrivals - result.unserved} served in the replay"
        )
        self.stdout.write(
            f"{'group':<10}{'tickets':>8}{'mean wait':>11}{'MAE':>8}{'bias':>8}"
            f"{'p90 |err|':>11}{'within ±5':>11}"
        )
        for name, figures in groups.items():
            if not figures.get("tickets"):
                continue
            self.stdout.write(
                f"{name:<10}{figures['tickets']:>8.0f}{figures['mean_wait_minutes']:>10.1f}m"
                f"{figures['mean_absolute_error_minutes']:>7.1f}m"
                f"{figures['mean_error_minutes']:>+7.1f}m"
                f"{figures['p90_absolute_error_minutes']:>10.1f}m"
                f"{100 * figures['share_within_5_minutes']:>10.0f}%"
            )
