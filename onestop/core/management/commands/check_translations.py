from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onestop.core.translations import extract_and_check


class Command(BaseCommand):
    help = "Fail when any message of ours lacks a Kazakh or Russian translation."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = extract_and_check(Path(settings.BASE_DIR))
        if problems:
            lines = [
                f"{lang}: {len(ids)} untranslated, e.g. {ids[:5]}" for lang, ids in problems.items()
            ]
            raise CommandError(
                "Missing translations (run `make messages`, then translate):\n" + "\n".join(lines)
            )
        self.stdout.write("Every message has kk and ru translations.")
