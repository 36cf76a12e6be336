from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.queue import bookings


class Command(BaseCommand):
    help = (
        "Mark bookings whose check-in window has closed as missed (a no-show), which frees "
        "their seats. Run it from cron every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        missed = bookings.expire()
        self.stdout.write(f"Marked {missed} bookings as missed.")
