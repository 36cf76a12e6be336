"""The staffing planner's benchmarks (issue 7): our simulator against Ciw and queueing theory
on M/M/c and priority M/M/c, the whole country's day, and the error of the queue's waiting-time
estimate. Not a test: it times things, tests never do. Pin it to one core to measure:
`taskset -c 0 .venv/bin/python manage.py bench_planning`."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from onestop.planning import bench


class _Bar:
    """A one-line progress bar on stderr, in the style of `bench_dashboard`'s: share done,
    steps, time left."""

    def __init__(self, label: str, write: Callable[[str], object]) -> None:
        self.label, self.write = label, write
        self.started = self.shown = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.shown < 0.2 and done < total:
            return
        self.shown = now
        share = done / total if total else 1.0
        left = (now - self.started) * (total - done) / done if done else 0.0
        self.write(
            f"\r{self.label} [{'#' * int(share * 30):<30}] {share:6.1%} {done:,}/{total:,} "
            f"ETA {timedelta(seconds=round(left))}"
        )
        if done >= total:
            self.write("\n")


def _row(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Cells padded to their widths: negative widths align left."""
    return "".join(
        f"{cell:<{-width}}" if width < 0 else f"{cell:>{width}}"
        for cell, width in zip(cells, widths, strict=True)
    )


def _machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "cpu": model,
        "cpus": os.cpu_count(),
        "cpus_allowed": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average": round(os.getloadavg()[0], 2),
    }


class Command(BaseCommand):
    help = (
        "Benchmark the staffing planner: our simulator against Ciw and theory (M/M/c, "
        "priority M/M/c), the national day (300 centres), the waiting-time estimate's error. "
        "No flag runs all three."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ciw", action="store_true", help="side by side with Ciw")
        parser.add_argument("--national", action="store_true", help="the whole country's day")
        parser.add_argument("--estimates", action="store_true", help="the estimate check")
        parser.add_argument("--replications", type=int, default=5, help="Ciw comparison")
        parser.add_argument("--minutes", type=float, default=10_000.0, help="M/M/c horizon")
        parser.add_argument("--warmup", type=float, default=500.0, help="M/M/c warm-up")
        parser.add_argument("--centres", type=int, default=300)
        parser.add_argument("--citizens", type=int, default=1000, help="per centre and day")
        parser.add_argument("--days", type=int, default=20, help="estimate check")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = {name for name in ("ciw", "national", "estimates") if options[name]}
        everything = not chosen
        if everything:
            chosen = {"ciw", "national", "estimates"}
        if options["replications"] < 1 or options["centres"] < 1 or options["days"] < 1:
            raise CommandError(_("--replications, --centres and --days must be at least 1."))
        if options["citizens"] < 1 or not 0 <= options["warmup"] < options["minutes"]:
            raise CommandError(_("--citizens at least 1; --warmup from 0 to below --minutes."))
        result: dict[str, Any] = {"machine": _machine()}
        if "ciw" in chosen:
            try:
                comparison = bench.compare_with_ciw(
                    minutes=options["minutes"],
                    warmup_minutes=options["warmup"],
                    replications=options["replications"],
                    seed=options["seed"],
                    progress=_Bar(_("Ciw and ours"), self._progress),
                )
            except bench.CiwMissing as missing:
                if not everything:
                    raise CommandError(str(missing)) from None
                self.stderr.write(_("Skipped the Ciw comparison: %(why)s") % {"why": missing})
            else:
                result["ciw"] = bench.as_json(comparison)
        if "national" in chosen:
            national = bench.national_day(
                centres=options["centres"],
                citizens=options["citizens"],
                seed=options["seed"],
                progress=_Bar(_("National day"), self._progress),
            )
            result["national"] = bench.as_json(national)
        if "estimates" in chosen:
            check = bench.estimate_check(
                days=options["days"], seed=options["seed"], citizens=options["citizens"]
            )
            result["estimates"] = bench.as_json(check)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1))
            return
        self._table(result)

    def _table(self, result: dict[str, Any]) -> None:
        write = self.stdout.write
        machine = result["machine"]
        write(
            _(
                "Machine: %(cpu)s, %(allowed)s of %(cpus)s CPUs allowed, load %(load)s, "
                "Python %(py)s"
            )
            % {
                "cpu": machine["cpu"],
                "allowed": machine["cpus_allowed"],
                "cpus": machine["cpus"],
                "load": machine["load_average"],
                "py": machine["python"],
            }
        )
        if "ciw" in result:
            self._ciw(result["ciw"])
        if "national" in result:
            self._national(result["national"])
        if "estimates" in result:
            self._estimates(result["estimates"])

    def _ciw(self, ciw: dict[str, Any]) -> None:
        write = self.stdout.write
        write("")
        write(
            _("Side by side with Ciw %(version)s (mean wait in queue, minutes)")
            % {"version": ciw["ciw_version"]}
        )
        heads = (
            _("case"),
            _("class"),
            _("theory"),
            _("ours"),
            _("error"),
            "Ciw",
            _("error"),
            _("ours CPU s"),
            _("Ciw CPU s"),
            _("ratio"),
        )
        widths = (-10, -10, 8, 9, 8, 9, 8, 12, 11, 7)
        write(_row(heads, widths))
        for case in ciw["cases"]:
            first = True
            for key, theory in case["theory"].items():
                ours, theirs = case["ours"], case["ciw"]
                timing = (
                    f"{ours['cpu_seconds']:>12.2f}{theirs['cpu_seconds']:>11.2f}"
                    f"{case['speed_ratio']:>6.2f}×"
                    if first
                    else ""
                )
                write(
                    f"{case['name'] if first else '':<10}{key:<10}{theory:>8.3f}"
                    f"{ours['mean_wait'][key]:>9.3f}{ours['relative_error'][key]:>+8.1%}"
                    f"{theirs['mean_wait'][key]:>9.3f}{theirs['relative_error'][key]:>+8.1%}"
                    f"{timing}"
                )
                first = False
        mmc = ciw["cases"][0]
        write(
            _(
                "%(customers)s customers each (c=%(c)s, λ=%(l)s/min, μ=%(m)s/min, "
                "%(reps)s × %(minutes)s min after a %(warmup)s min warm-up)."
            )
            % {
                "customers": f"{mmc['ours']['customers']:,}",
                "c": mmc["servers"],
                "l": mmc["arrival_rate"],
                "m": mmc["service_rate"],
                "reps": mmc["replications"],
                "minutes": f"{mmc['minutes']:,.0f}",
                "warmup": f"{mmc['warmup_minutes']:,.0f}",
            }
        )
        write(self._verdict(ciw["met"]) + " " + _("Target: ours at least 3× faster on M/M/c."))

    def _national(self, national: dict[str, Any]) -> None:
        write = self.stdout.write
        write("")
        write(
            _(
                "National day: %(centres)s centres × %(citizens)s citizens, %(visitors)s "
                "visitors in %(wall).1f s (CPU %(cpu).1f s), %(rate)s visitors/s"
            )
            % {
                "centres": national["centres"],
                "citizens": f"{national['citizens']:,}",
                "visitors": f"{national['visitors']:,}",
                "wall": national["wall_seconds"],
                "cpu": national["cpu_seconds"],
                "rate": f"{national['visitors_per_second']:,.0f}",
            }
        )
        for group, p95 in national["p95"].items():
            write(
                "  "
                + _("%(group)s: %(served)s served, p95 wait %(p95).1f min")
                % {"group": group, "served": f"{national['served'][group]:,}", "p95": p95}
            )
        write(self._verdict(national["met"]) + " " + _("Target: under 60 s on one core."))

    def _estimates(self, check: dict[str, Any]) -> None:
        write = self.stdout.write
        write("")
        write(
            _("Waiting-time estimate over %(days)s simulated days (error = estimate − real)")
            % {"days": check["days"]}
        )
        heads = (
            _("group"),
            _("tickets"),
            _("mean wait"),
            _("MAE"),
            _("bias"),
            _("p90 |err|"),
            _("within ±5"),
        )
        write(_row(heads, (-10, 9, 11, 8, 8, 11, 11)))
        for name, e in check["groups"].items():
            if not e["tickets"]:
                continue
            write(
                f"{name:<10}{e['tickets']:>9,}{e['mean_wait_minutes']:>10.1f}m"
                f"{e['mean_absolute_error_minutes']:>7.1f}m{e['mean_error_minutes']:>+7.1f}m"
                f"{e['p90_absolute_error_minutes']:>10.1f}m"
                f"{e['share_within_5_minutes']:>11.0%}"
            )

    def _progress(self, text: str) -> None:
        self.stderr.write(text, ending="")

    @staticmethod
    def _verdict(met: bool) -> str:
        return _("MET.") if met else _("NOT MET.")
