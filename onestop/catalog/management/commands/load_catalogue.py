from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.catalog.services import import_catalogue
from onestop.core.errors import OneStopError
from onestop.core.services import set_mci

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Load or update the service catalogue and the MCI table from JSON (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(DATA / "catalogue_kz.json"))
        parser.add_argument("--mci-file", default=str(DATA / "mci.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mci = json.loads(Path(options["mci_file"]).read_text(encoding="utf-8"))
            for row in mci["mci"]:
                set_mci(
                    year=int(row["year"]),
                    tenge=Decimal(row["tenge"]),
                    legal_basis=row["legal_basis"],
                )
            data = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            summary = import_catalogue(data=data)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot load the catalogue: {exc}") from exc
        except OneStopError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"Catalogue loaded: created {summary.created}, updated {summary.updated}")
