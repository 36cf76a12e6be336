from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from onestop.demo.management.commands.load_demo import tablets_file

DATA = Path(__file__).resolve().parents[2] / "data"

SCREENS = [
    ("Portal: home", "/"),
    ("Portal: service standards (kk/ru/en, searchable)", "/services/"),
    ("Portal: centres, hours and windows", "/centres/"),
    ("Centre AST-01 (open around the clock)", "/centres/AST-01/"),
    ("Portal: book a visit / find a booking", "/book/"),
    ("Portal: my applications, bookings, who viewed my data", "/my/"),
    ("Portal: application status by number + IIN", "/applications/status/"),
    ("Portal: file a complaint / follow one", "/complaints/new/"),
    ("Development SMS inbox (codes, receipts, answers)", "/dev/inbox/"),
    ("Staff sign-in -> role-aware start page", "/login/"),
    ("Call-centre desk (sign in as callcentre1)", "/callcentre/"),
    ("Complaints desk (manager1, head_mj1, reviewer1)", "/complaints/desk/"),
    ("Situational Centre (analyst1)", "/monitoring/"),
    ("Live view of AST-01 with wellbeing (manager1)", "/monitoring/centres/AST-01/live/"),
    ("Public performance page and open data", "/performance/"),
    ("Staffing planner: forecast, windows per hour (manager1)", "/planning/"),
    ("Staffing planner of the reference centre", "/planning/reference/"),
    ("Administration (admin)", "/admin/"),
    ("REST API docs", "/api/v1/docs"),
    ("OpenAPI document", "/api/v1/openapi.json"),
]


class Command(BaseCommand):
    help = "Print the address of every demo screen and the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        base = f"http://127.0.0.1:{options['port']}"
        personas = json.loads((DATA / "personas.json").read_text(encoding="utf-8"))
        lines = ["", "OneStop demo is starting at " + base, "", "Screens:"]
        lines += [f"  {title:<52} {base}{path}" for title, path in SCREENS]
        devices = Path(settings.DEMO_DEVICES_FILE)
        if devices.exists():
            lines += ["", "Hall screens (kiosk links carry the kiosk's device token):"]
            for code, token in sorted(json.loads(devices.read_text(encoding="utf-8")).items()):
                lines.append(f"  Kiosk {code:<46} {base}/kiosk/{code}/?device={token}")
                lines.append(f"  Display board {code:<38} {base}/board/{code}/")
            tablets = tablets_file(devices)
            if tablets.exists():
                for place, token in sorted(json.loads(tablets.read_text(encoding="utf-8")).items()):
                    centre, window = place.split("/")
                    title = f"Feedback tablet {centre} window {window}"
                    lines.append(f"  {title:<52} {base}/tablet/{place}/?device={token}")
            lines.append(f"  {'Operator console (sign in as operator1)':<52} {base}/console/")
        lines += ["", f"Demo logins (password for all: {personas['password']}):"]
        for persona in personas["personas"]:
            roles = ", ".join(
                role["role"]
                + (f" @ {role['centre']}" if role.get("centre") else "")
                + (f" @ {role['department']}" if role.get("department") else "")
                + (f" windows {role['windows']}" if role.get("windows") else "")
                for role in persona["roles"]
            )
            lines.append(f"  {persona['username']:<14} {roles}")
        lines += ["", "Press Ctrl+C to stop.", ""]
        self.stdout.write("\n".join(lines))
