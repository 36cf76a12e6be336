from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.accounts.domain import Role
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.centres.domain import DeviceKind
from onestop.centres.models import Device
from onestop.centres.services import import_centres, issue_device_token
from onestop.core.errors import OneStopError

DATA = Path(__file__).resolve().parents[2] / "data"


def demo_password() -> str:
    return str(json.loads((DATA / "personas.json").read_text(encoding="utf-8"))["password"])


class Command(BaseCommand):
    help = (
        "Load the demo: catalogue, three centres (AST-01 open around the clock) and one persona "
        "per role with the password 'onestop-demo'. Idempotent. Refuses with DEBUG off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load demo personas with DEBUG off: they share a public password. "
                "Use --force only on a throwaway database."
            )
        call_command("load_catalogue", stdout=self.stdout)
        try:
            centres = json.loads((DATA / "centres.json").read_text(encoding="utf-8"))
            counts = import_centres(data=centres)
            personas = json.loads((DATA / "personas.json").read_text(encoding="utf-8"))
            for persona in personas["personas"]:
                upsert_staff_user(
                    username=persona["username"],
                    password=personas["password"],
                    first_name=persona["first_name"],
                    last_name=persona["last_name"],
                    superuser=bool(persona.get("superuser", False)),
                    roles=[
                        RoleSpec(
                            role=Role(spec["role"]),
                            centre=spec.get("centre"),
                            department=spec.get("department"),
                            region=spec.get("region"),
                            windows=tuple(spec.get("windows", ())),
                        )
                        for spec in persona["roles"]
                    ],
                )
            kiosks = self._issue_kiosk_tokens()
        except OneStopError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(
            f"Demo loaded: {counts['centres']} centres, {counts['windows']} windows, "
            f"{len(personas['personas'])} personas (password: {personas['password']}), "
            f"{len(kiosks)} kiosk tokens in {settings.DEMO_DEVICES_FILE}."
        )

    def _issue_kiosk_tokens(self) -> dict[str, str]:
        """Fresh tokens for the demo kiosks, kept in var/ so the banner can print kiosk links
        (device tokens are stored hashed; the raw token exists only here and in the link)."""
        kiosks, tablets = {}, {}
        for device in Device.objects.filter(kind=DeviceKind.KIOSK).select_related("centre"):
            kiosks[device.centre.code] = issue_device_token(device=device, actor=None)
        for device in Device.objects.filter(kind=DeviceKind.TABLET).select_related(
            "centre", "window"
        ):
            assert device.window is not None  # the database refuses a tablet without one
            token = issue_device_token(device=device, actor=None)
            tablets[f"{device.centre.code}/{device.window.number}"] = token
        Path(settings.DEMO_DEVICES_FILE).write_text(json.dumps(kiosks, indent=1), encoding="utf-8")
        tablets_file(settings.DEMO_DEVICES_FILE).write_text(
            json.dumps(tablets, indent=1), encoding="utf-8"
        )
        return kiosks


def tablets_file(devices_file: Path) -> Path:
    """Where the demo's feedback-tablet links are kept, beside the kiosks' file."""
    return Path(devices_file).with_name("demo-tablets.json")
