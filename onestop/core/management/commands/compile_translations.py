from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onestop.core.translations import compile_all


class Command(BaseCommand):
    help = "Compile our .po catalogues to .mo with Babel (no GNU gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = compile_all()
        self.stdout.write(f"Compiled {len(written)} catalogues.")
