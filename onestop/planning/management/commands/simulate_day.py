"""Simulate a centre's day with the queue's own dispatch code and report the waits per group
against the targets: the reference centre, or a real centre's configuration and forecast."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from onestop.centres.models import Centre
from onestop.core.errors import OneStopError
from onestop.core.progress import Progress
from onestop.planning.recommend import recommend
from onestop.planning.reference import reference_scenario
from onestop.planning.scenario import Group, Scenario
from onestop.planning.summary import Summary, replicate

SCENARIOS = ("reference",)


def _tick(bar: Progress | None) -> Callable[[int, int], None] | None:
    if bar is None:
        return None
    return lambda done, total: bar.update(1)


class Command(BaseCommand):
    help = (
        "Simulate a day: --scenario reference, or --centre CODE --date YYYY-MM-DD (the centre's "
        "windows and its arrival forecast). Prints p50/p95 waits per group, the number served "
        "and whether the targets are met; --recommend simulates the fewest windows per hour "
        "that meet them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", choices=SCENARIOS)
        parser.add_argument("--centre", help="A centre's code, e.g. AST-01")
        parser.add_argument("--date", help="YYYY-MM-DD (with --centre)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replications", type=int, default=1, help="simulated days")
        parser.add_argument(
            "--recommend", action="store_true", help="simulate the recommended windows per hour"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["replications"] < 1:
            raise CommandError(_("--replications must be at least 1."))
        scenario = self._scenario(options)
        quiet = options["json"]
        if options["recommend"]:
            bar = None if quiet else self._bar(len(scenario.periods), _("recommending"), "hours")
            found = recommend(
                scenario,
                seed=options["seed"],
                replications=max(options["replications"], 2),
                progress=_tick(bar),
            )
            if bar:
                bar.close()
            scenario, summary = found.plan, found.summary
        else:
            bar = None if quiet else self._bar(options["replications"], _("simulating"), "days")
            summary = replicate(
                scenario,
                seed=options["seed"],
                replications=options["replications"],
                progress=_tick(bar),
            )
            if bar:
                bar.close()
        if quiet:
            payload = summary.as_json()
            payload["plan"] = "recommended" if options["recommend"] else "configured"
            self.stdout.write(json.dumps(payload, indent=1, ensure_ascii=False))
        else:
            self._table(summary)

    def _bar(self, total: int, label: str, unit: str) -> Progress:
        return Progress(total, label, lambda text: self.stderr.write(text, ending=""), unit=unit)

    def _scenario(self, options: dict[str, Any]) -> Scenario:
        if options["centre"]:
            if options["scenario"]:
                raise CommandError(_("Give either --scenario or --centre, not both."))
            return self._centre_scenario(options["centre"], options["date"])
        if options["date"]:
            raise CommandError(_("--date goes with --centre."))
        if options["scenario"] != "reference":
            raise CommandError(_("Give --scenario reference or --centre CODE --date YYYY-MM-DD."))
        return reference_scenario()

    def _centre_scenario(self, code: str, when: str | None) -> Scenario:
        # Imported here: the forecast reads the database, the reference scenario does not.
        from onestop.planning.centre_scenario import centre_scenario
        from onestop.planning.forecast import forecast_day

        centre = Centre.objects.filter(code=code).first()
        if centre is None:
            raise CommandError(_("No centre with the code %(code)s.") % {"code": code})
        if not when:
            raise CommandError(_("--centre needs --date YYYY-MM-DD."))
        try:
            day = date.fromisoformat(when)
        except ValueError:
            raise CommandError(_("--date must be YYYY-MM-DD.")) from None
        try:
            return centre_scenario(
                centre=centre, day=day, forecast=forecast_day(centre=centre, day=day)
            )
        except OneStopError as error:
            raise CommandError(str(error.message)) from None

    def _table(self, summary: Summary) -> None:
        scenario = summary.scenario
        self.stdout.write(
            _("%(name)s: %(days)d simulated day(s), seed %(seed)s, %(windows)d windows")
            % {
                "name": scenario.name,
                "days": summary.replications,
                "seed": summary.seed,
                "windows": len(scenario.windows),
            }
        )
        # Labels first: the message extractor cannot see a `_()` inside an f-string.
        labels = {g: str(g.label) for g in Group}
        first = max(len(label) for label in labels.values()) + 2
        yes, no, missed = _("yes"), _("NO"), _("target missed")
        columns = [_("served"), _("p50, min"), _("p95, min"), _("target, min")]
        widths = [max(8, len(c) + 2) for c in columns]
        self.stdout.write(
            _("group").ljust(first)
            + "".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))
            + "  "
            + _("met")
        )
        for group, found in summary.groups.items():
            cells = [
                f"{found.served:.0f}",
                f"{found.p50:.1f}",
                f"{found.p95:.1f}",
                f"{found.target:.0f}",
            ]
            self.stdout.write(
                labels[group].ljust(first)
                + "".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
                + "  "
                + (yes if found.met else no)
            )
        self.stdout.write("")
        hour_columns = [
            _("arrivals"),
            _("windows"),
            *(_("p95 %(group)s") % {"group": labels[g]} for g in Group),
        ]
        wides = [max(8, len(c) + 2) for c in hour_columns]
        self.stdout.write(
            _("hour").ljust(7)
            + "".join(c.rjust(w) for c, w in zip(hour_columns, wides, strict=True))
        )
        for start, hour in zip(scenario.period_starts(), summary.hours, strict=True):
            cells = [f"{hour.arrivals:.0f}", str(hour.windows)] + [
                "—" if hour.p95[g] is None else f"{hour.p95[g]:.1f}" for g in Group
            ]
            mark = "" if hour.met else "  " + missed
            self.stdout.write(
                f"{start:%H:%M}".ljust(7)
                + "".join(c.rjust(w) for c, w in zip(cells, wides, strict=True))
                + mark
            )
        self.stdout.write(
            _("Targets met: %(answer)s. Windows busy %(busy).0f%% of the time planned.")
            % {"answer": yes if summary.met else _("no"), "busy": summary.utilisation * 100}
        )
