"""Fill the demo centres with weeks of past visits (and their monitoring aggregates) so the
staffing planner has a history to forecast from. Idempotent: days with tickets are kept."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from onestop.demo.history import WEEKS, fill_history


class Command(BaseCommand):
    help = (
        "Write weeks of finished visits before today at the demo centres (AST-01, AST-02, "
        "ALA-01) with the Situational Centre's aggregate rows. Days that have tickets are left "
        "alone. Refuses with DEBUG off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, default=WEEKS, help="weeks of history")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Refusing to write demo history with DEBUG off. "
                    "Use --force only on a throwaway database."
                )
            )
        if options["weeks"] < 1:
            raise CommandError(_("--weeks must be at least 1."))
        started = time.perf_counter()
        filled = fill_history(weeks=options["weeks"])
        if not filled:
            raise CommandError(_("No demo centre found: run `manage.py load_demo` first."))
        for row in filled:
            self.stdout.write(
                _(
                    "%(centre)s: past visits written: %(tickets)s; days written: %(days)s; "
                    "days kept (history there already): %(skipped)s."
                )
                % {
                    "centre": row.centre,
                    "tickets": row.tickets,
                    "days": row.days,
                    "skipped": row.skipped,
                }
            )
        self.stdout.write(
            _("Done in %(seconds).1f s.") % {"seconds": time.perf_counter() - started}
        )
