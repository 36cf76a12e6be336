"""Benchmark of the national dashboard: load a synthetic history of N tickets at bench
centres (with the aggregate rows the fold would have made of them, CentreDay included), then
time `selectors.overview()` for the whole country over the default period and the full HTTP
answer of `GET /api/v1/stats/overview?scope=country`. Not a test: it times things, tests
never do. Refuses with DEBUG off unless --force (it writes and deletes bench centres)."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import override_settings

from onestop.accounts.domain import Role
from onestop.accounts.services import RoleSpec, issue_api_token, upsert_staff_user
from onestop.core.progress import Progress
from onestop.monitoring import bench_data, selectors
from onestop.monitoring.api import period
from onestop.monitoring.models import CentreDay, QueueDay

ANALYST = "bench-analyst"
PASSWORD = "bench-password-1"


def _timings(run: Callable[[], object], *, runs: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))], 1),
        "min_ms": round(samples[0], 1),
        "max_ms": round(samples[-1], 1),
    }


class Command(BaseCommand):
    help = (
        "Load N synthetic tickets (and their aggregates) at bench centres and time the "
        "national dashboard: overview() and GET /api/v1/stats/overview?scope=country."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=100_000)
        parser.add_argument("--centres", type=int, default=300)
        parser.add_argument("--days", type=int, default=365, help="days of history")
        parser.add_argument("--runs", type=int, default=20, help="timed runs of each")
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--chunk", type=int, default=bench_data.CHUNK_TICKETS)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--keep", action="store_true", help="keep the bench data")
        parser.add_argument("--no-load", action="store_true", help="time the data already kept")
        parser.add_argument("--explain", action="store_true", help="print the CentreDay plan")
        parser.add_argument("--force", action="store_true", help="run with DEBUG off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The benchmark writes and deletes bench centres and millions of tickets: "
                "DEBUG only, or --force on a throwaway database."
            )
        if options["tickets"] < 1 or options["centres"] < 1 or not 1 <= options["days"] <= 3660:
            raise CommandError("--tickets and --centres at least 1, --days 1 to 3660.")
        try:
            result = self._run(options)
        finally:
            if not options["keep"]:
                bench_data.clear()
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1, default=str))
        else:
            self._table(result)

    def _run(self, options: dict[str, Any]) -> dict[str, Any]:
        loaded = None
        if not options["no_load"]:
            bar = Progress(
                options["tickets"],
                "loading tickets",
                lambda text: self.stderr.write(text, ending=""),
            )
            loaded = bench_data.load(
                tickets=options["tickets"],
                centres=options["centres"],
                days=options["days"],
                chunk=options["chunk"],
                progress=bar.update,
            )
            bar.close()
        start, end = period(None, None)
        fine_rows = QueueDay.objects.filter(day__gte=start, day__lte=end).count()
        rows_read = CentreDay.objects.filter(day__gte=start, day__lte=end).count()
        selector = _timings(
            lambda: selectors.overview(region=None, start=start, end=end, sort="wait"),
            runs=options["runs"],
            warmup=options["warmup"],
        )
        http = self._time_http(options)
        result: dict[str, Any] = {
            "database": f"{connection.vendor} {connection.display_name}",
            "tickets": loaded.tickets if loaded else None,
            "centres": loaded.centres if loaded else len(bench_data.bench_centres()),
            "load_seconds": round(loaded.seconds, 1) if loaded else None,
            "aggregate_rows": {
                "queue_days": loaded.queue_days,
                "case_days": loaded.case_days,
                "rating_days": loaded.rating_days,
                "complaint_days": loaded.complaint_days,
                "centre_days": loaded.centre_days,
            }
            if loaded
            else None,
            "history": [loaded.first_day, loaded.last_day] if loaded else None,
            "period": [start, end],
            "queue_day_rows_in_period": fine_rows,
            "centre_day_rows_in_period": rows_read,
            "overview": selector,
            "http": http,
            "load_average": os.getloadavg()[0],
            "cpus": os.cpu_count(),
        }
        if options["explain"] and connection.vendor == "postgresql":
            result["centre_day_plan"] = self._explain(start, end)
        return result

    def _time_http(self, options: dict[str, Any]) -> dict[str, Any]:
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            upsert_staff_user(
                username=ANALYST,
                password=PASSWORD,
                first_name="Bench",
                last_name="Analyst",
                roles=[RoleSpec(role=Role.NATIONAL_ANALYST)],
            )
            token, _ = issue_api_token(username=ANALYST, password=PASSWORD)
        client = Client()
        answer: dict[str, Any] = {}

        def get() -> None:
            response = client.get(
                "/api/v1/stats/overview?scope=country",
                headers={"authorization": f"Bearer {token}"},
            )
            if response.status_code != 200:
                raise CommandError(
                    f"overview answered {response.status_code}: {response.content!r}"
                )
            answer["bytes"] = len(response.content)
            answer["centres"] = len(response.json()["centres"])

        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            timings = _timings(get, runs=options["runs"], warmup=options["warmup"])
        return {**timings, **answer}

    def _explain(self, start: Any, end: Any) -> str:
        query = CentreDay.objects.filter(day__gte=start, day__lte=end).values("centre_id")
        sums = query.annotate(**{n: Sum(n) for n in selectors.CENTRE_SUMS})
        return str(sums.explain(analyze=True, buffers=True))

    def _table(self, result: dict[str, Any]) -> None:
        write = self.stdout.write
        write(f"database          {result['database']}")
        write(
            f"tickets           {result['tickets']:,} at {result['centres']} centres"
            if result["tickets"] is not None
            else f"centres           {result['centres']}"
        )
        if result["load_seconds"] is not None:
            write(
                f"load              {result['load_seconds']} s; "
                f"aggregates {result['aggregate_rows']}"
            )
        write(
            f"period            {result['period'][0]} – {result['period'][1]}, "
            f"{result['centre_day_rows_in_period']:,} CentreDay rows read "
            f"({result['queue_day_rows_in_period']:,} QueueDay rows beneath)"
        )
        for name in ("overview", "http"):
            t = result[name]
            write(
                f"{name:<17} median {t['median_ms']} ms, p95 {t['p95_ms']} ms "
                f"(min {t['min_ms']}, max {t['max_ms']})"
            )
        write(f"load average      {result['load_average']:.2f} on {result['cpus']} CPUs")
        if "centre_day_plan" in result:
            write(result["centre_day_plan"])
