"""Benchmark of queue operations over HTTP: issue, call next, start and finish from many
windows at once, against a server in another process. Reports throughput and latency, checks
afterwards that no ticket was called twice. For scale, the same run measures the rate of
requests that do nothing (this machine's HTTP floor) and, on PostgreSQL, pgbench's
single-row insert rate. Not a test: it times things, tests never do."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from onestop.accounts.domain import Role
from onestop.accounts.services import RoleSpec, issue_api_token, upsert_staff_user
from onestop.audit.models import AuditEntry
from onestop.centres.models import Device
from onestop.centres.services import import_centres, issue_device_token
from onestop.queue.management.commands._machine import http_floor, pgbench_inserts
from onestop.queue.models import Ticket

CENTRES = 3
WINDOWS_PER_CENTRE = 10
SERVICE = "MJ-ID-CARD"
PASSWORD = "bench-password-1"


@dataclass
class Desk:
    centre: str
    window: int
    kiosk: str
    operator: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)


def post_json(
    conn: http.client.HTTPConnection,
    path: str,
    token: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One authenticated JSON POST on a kept-alive connection: (status, decoded body)."""
    conn.request(
        "POST",
        path,
        body=json.dumps(body or {}),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    response = conn.getresponse()
    payload = response.read()
    return response.status, (json.loads(payload) if payload else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Command(BaseCommand):
    help = "Drive the realistic queue mix over HTTP and report ops/s and p50/p95/p99."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=20.0)
        parser.add_argument("--workers", type=int, default=2, help="server worker processes")
        parser.add_argument(
            "--server",
            choices=["gunicorn", "uvicorn"],
            default="gunicorn",
            help="gunicorn gthread (WSGI, the API's production set-up) or uvicorn (ASGI)",
        )
        parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
        parser.add_argument("--force", action="store_true", help="run with DEBUG off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The benchmark writes bench centres and staff: DEBUG only.")
        # The bench staff's known password needs no slow hash, and 30 of them at a million
        # PBKDF2 rounds each would take this class of machine half a minute to set up.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            desks = self._prepare()
        port = _free_port()
        server = self._start_server(port, options)
        try:
            http_floor(port, clients=len(desks), seconds=1)  # warm every server thread up
            floor = http_floor(port, clients=len(desks), seconds=3)
            started = time.perf_counter()
            deadline = started + options["seconds"]
            threads = [
                threading.Thread(target=self._drive, args=(desk, port, deadline)) for desk in desks
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
        self._report(desks, elapsed, options)
        self.stdout.write(
            f"machine floor: GET /api/v1/health (one SELECT 1) {floor[0]:,.0f} req/s, "
            f"p99 {floor[1]:.1f} ms, same server and clients"
        )
        self.stdout.write(pgbench_inserts())

    def _prepare(self) -> list[Desk]:
        centres = []
        for n in range(1, CENTRES + 1):
            centres.append(
                {
                    "code": f"BEN-{n:02d}",
                    "region": "bench",
                    "level": "city",
                    "name": {"kk": f"Бенч {n}", "ru": f"Бенч {n}", "en": f"Bench {n}"},
                    "address": {"kk": "—", "ru": "—", "en": "—"},
                    "hours": {str(d): ["00:00", "00:00"] for d in range(7)},
                    "windows": [
                        {"number": w, "services": [SERVICE]}
                        for w in range(1, WINDOWS_PER_CENTRE + 1)
                    ],
                    "devices": [{"kind": "kiosk", "name": "bench-kiosk"}],
                }
            )
        import_centres(
            data={
                "regions": [{"code": "bench", "name": {"kk": "Бенч", "ru": "Бенч", "en": "Bench"}}],
                "centres": centres,
            }
        )
        from onestop.queue.models import WindowSession

        WindowSession.objects.filter(window__centre__code__startswith="BEN-").delete()
        Ticket.objects.filter(centre__code__startswith="BEN-").delete()
        desks = []
        for n in range(1, CENTRES + 1):
            code = f"BEN-{n:02d}"
            device = Device.objects.get(centre__code=code, name="bench-kiosk")
            kiosk = issue_device_token(device=device, actor=None)
            for window in range(1, WINDOWS_PER_CENTRE + 1):
                username = f"bench-{n}-{window}"
                upsert_staff_user(
                    username=username,
                    password=PASSWORD,
                    first_name="Bench",
                    last_name=username,
                    roles=[RoleSpec(role=Role.OPERATOR, centre=code, windows=(window,))],
                )
                token, _ = issue_api_token(username=username, password=PASSWORD)
                desks.append(Desk(centre=code, window=window, kiosk=kiosk, operator=token))
        return desks

    def _start_server(self, port: int, options: dict[str, Any]) -> subprocess.Popen[bytes]:
        program = shutil.which(options["server"], path=os.path.dirname(sys.executable))
        if program is None:
            raise CommandError(f"{options['server']} is not installed in this environment")
        if options["server"] == "gunicorn":
            command = [
                program,
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options["workers"]),
                "--worker-class",
                "gthread",
                "--threads",
                str(options["threads"]),
                "--log-level",
                "warning",
            ]
        else:
            command = [
                program,
                "config.asgi:application",
                "--port",
                str(port),
                "--workers",
                str(options["workers"]),
                "--log-level",
                "warning",
                "--no-access-log",
            ]
        log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the server writes it while it runs
            prefix="bench-server-", suffix=".log", delete=False
        )
        # Production settings: DEBUG off (no query log), persistent connections per thread.
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
        )
        for _ in range(600):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return server
            except OSError:
                if server.poll() is not None:
                    raise CommandError(f"the server did not start; see {log.name}") from None
                time.sleep(0.05)  # waiting for a port to open in a benchmark, not in a test
        raise CommandError("the server did not start in 30 s")

    def _drive(self, desk: Desk, port: int, deadline: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        base = f"/api/v1/centres/{desk.centre}"

        def call(
            name: str,
            path: str,
            token: str,
            body: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None,
        ) -> Any:
            started = time.perf_counter()
            status, answer = post_json(conn, path, token, body, headers)
            desk.latencies.setdefault(name, []).append(time.perf_counter() - started)
            if status >= 400:
                desk.errors[f"{name} {status}"] += 1
                return None
            return answer

        call("take", f"{base}/windows/{desk.window}/take", desk.operator)
        while time.perf_counter() < deadline:
            # As a real kiosk does: a key, so that a retry cannot print a second ticket.
            key = {"Idempotency-Key": uuid.uuid4().hex}
            call("issue", f"{base}/tickets", desk.kiosk, {"service": SERVICE}, key)
            ticket = call("call-next", f"{base}/windows/{desk.window}/call-next", desk.operator)
            if not ticket:
                continue
            call("start", f"/api/v1/tickets/{ticket['id']}/start", desk.operator)
            call(
                "finish",
                f"/api/v1/tickets/{ticket['id']}/finish",
                desk.operator,
                {"outcome": "consultation"},
            )
        conn.close()

    def _report(self, desks: list[Desk], elapsed: float, options: dict[str, Any]) -> None:
        by_op: dict[str, list[float]] = {}
        for desk in desks:
            for name, values in desk.latencies.items():
                if name != "take":
                    by_op.setdefault(name, []).extend(values)
        everything = sorted(v for values in by_op.values() for v in values)
        errors = sum((desk.errors for desk in desks), Counter())
        calls = Counter(
            AuditEntry.objects.filter(action="queue.ticket_call").values_list(
                "object_id", flat=True
            )
        )
        bench_ids = {
            str(pk)
            for pk in Ticket.objects.filter(centre__code__startswith="BEN-").values_list(
                "pk", flat=True
            )
        }
        doubles = sum(1 for ticket, n in calls.items() if ticket in bench_ids and n > 1)

        def pct(values: list[float], q: float) -> float:
            return 1000 * values[min(len(values) - 1, int(q * len(values)))] if values else 0.0

        self.stdout.write(
            f"database: {connection.vendor}, server: {options['server']}, "
            f"workers: {options['workers']}"
            + (f" x {options['threads']} threads" if options["server"] == "gunicorn" else "")
        )
        self.stdout.write(f"windows: {len(desks)}, duration: {elapsed:.1f} s")
        self.stdout.write(
            f"operations: {len(everything)}, {len(everything) / elapsed:.0f} ops/s, "
            f"p50 {pct(everything, 0.50):.1f} ms, p95 {pct(everything, 0.95):.1f} ms, "
            f"p99 {pct(everything, 0.99):.1f} ms"
        )
        for name, values in sorted(by_op.items()):
            values.sort()
            self.stdout.write(
                f"  {name:<10} {len(values):>6}  p50 {pct(values, 0.5):6.1f} ms  "
                f"p99 {pct(values, 0.99):6.1f} ms  mean {1000 * statistics.fmean(values):6.1f} ms"
            )
        self.stdout.write(f"errors: {dict(errors) or 'none'}")
        self.stdout.write(f"tickets called twice: {doubles}")
        if doubles:
            raise CommandError(f"{doubles} tickets were called twice")
