from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from onestop.centres import selectors as centres
from onestop.core import clock
from onestop.queue.models import Ticket
from onestop.queue.services import close_day


class Command(BaseCommand):
    help = (
        "End of day: close the tickets still open at every centre that is now outside its "
        "hours, with a reason, and report how many. Run it from cron every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        total = 0
        for centre in centres.active_centres():
            if centres.is_open_at(centre, now):
                continue
            if not Ticket.objects.filter(
                centre=centre, status__in=["waiting", "called", "serving"]
            ).exists():
                continue
            closed = close_day(centre=centre, reason=_("The centre closed for the day."))
            total += closed
            self.stdout.write(f"{centre.code}: closed {closed} open tickets")
        self.stdout.write(f"Closed {total} tickets in all.")
