"""How long a call takes to reach a display board connected to *another* server process than
the operator's: two uvicorn processes on one database, the board's event stream on one, the
operator's API calls on the other. Reports p50/p95/p99 from the moment the operator's request
is sent to the moment the board receives the event. Not a test: it times things."""

from __future__ import annotations

import http.client
import json
import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.queue.management.commands.bench_queue import Command as QueueBench
from onestop.queue.management.commands.bench_queue import _free_port, post_json


class Command(BaseCommand):
    help = "Measure call → board latency across two server processes (p50/p95/p99)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calls", type=int, default=200)
        parser.add_argument("--force", action="store_true", help="run with DEBUG off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The benchmark writes bench centres and staff: DEBUG only.")
        queue_bench = QueueBench()
        desk = queue_bench._prepare()[0]
        server_options = {"server": "uvicorn", "workers": 1, "threads": 1}
        api_port, board_port = _free_port(), _free_port()
        servers = [
            queue_bench._start_server(api_port, server_options),
            queue_bench._start_server(board_port, server_options),
        ]
        arrivals: dict[str, float] = {}
        ready = threading.Event()
        stop = threading.Event()
        listener = threading.Thread(
            target=self._listen, args=(board_port, desk.centre, arrivals, ready, stop), daemon=True
        )
        listener.start()
        try:
            if not ready.wait(timeout=30):
                raise CommandError("the board's stream did not open")
            latencies = self._drive(api_port, desk, options["calls"], arrivals)
        finally:
            stop.set()
            for server in servers:
                server.send_signal(signal.SIGINT)
            for server in servers:
                server.wait(timeout=30)
        if not latencies:
            raise CommandError("no call reached the board")
        latencies.sort()

        def pct(q: float) -> float:
            return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))]

        self.stdout.write(
            f"calls: {options['calls']}, reached the board: {len(latencies)}, "
            f"p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms, "
            f"max {1000 * latencies[-1]:.0f} ms"
        )

    def _listen(
        self,
        port: int,
        centre: str,
        arrivals: dict[str, float],
        ready: threading.Event,
        stop: threading.Event,
    ) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", f"/api/v1/centres/{centre}/events")
        response = conn.getresponse()
        ready.set()
        event = ""
        while not stop.is_set():
            line = response.readline().decode()
            if not line:
                break
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.startswith("data: ") and event == "queue.ticket.call":
                arrivals[json.loads(line[6:])["number"]] = time.perf_counter()

    def _drive(self, port: int, desk: Any, calls: int, arrivals: dict[str, float]) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        base = f"/api/v1/centres/{desk.centre}"

        def post(path: str, token: str, body: dict[str, Any] | None = None) -> Any:
            status, answer = post_json(conn, path, token, body)
            if status >= 400:
                raise CommandError(f"{path}: {status} {str(answer)[:200]}")
            return answer

        post(f"{base}/windows/{desk.window}/take", desk.operator)
        sent: dict[str, float] = {}
        for _ in range(calls):
            post(f"{base}/tickets", desk.kiosk, {"service": "MJ-ID-CARD"})
            started = time.perf_counter()
            ticket = post(f"{base}/windows/{desk.window}/call-next", desk.operator)
            sent[ticket["number"]] = started
            post(f"/api/v1/tickets/{ticket['id']}/start", desk.operator)
            post(
                f"/api/v1/tickets/{ticket['id']}/finish", desk.operator, {"outcome": "consultation"}
            )
        deadline = time.perf_counter() + 5
        while len(arrivals) < len(sent) and time.perf_counter() < deadline:
            time.sleep(0.05)  # the last events are still on their way
        return [arrivals[number] - at for number, at in sent.items() if number in arrivals]
