"""Print a centre's forecast arrivals per hour for a day and how the method did on the last
days already recorded, against the naive rule (same hour a week earlier)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import OneStopError
from onestop.planning.forecast import (
    WEEKS,
    Accuracy,
    Forecast,
    ForecastError,
    forecast_day,
    holdout_error,
)


def next_open_day(centre: Centre, after: date, days: int = 14) -> date | None:
    """The first day after `after` on which the centre opens."""
    for offset in range(1, days + 1):
        day = after + timedelta(days=offset)
        if centres.hours_of(centre, day) is not None:
            return day
    return None


def _accuracy(figures: Accuracy | None) -> dict[str, float] | None:
    if figures is None:
        return None
    return {
        "mae_per_hour": round(figures.mae, 3),
        "wape": round(figures.wape, 4),
        "day_total_mae": round(figures.total_mae, 2),
        "day_total_bias": round(figures.total_bias, 2),
    }


def as_json(forecast: Forecast, error: ForecastError) -> dict[str, Any]:
    return {
        "date": forecast.day.isoformat(),
        "history_days": forecast.history_days,
        "history": [d.isoformat() for d in forecast.history],
        "priority_share": round(forecast.priority_share, 4),
        "booked_share": round(forecast.booked_share, 4),
        "total": round(forecast.total, 1),
        "hours": [
            {"hour": hour, "arrivals": round(count, 2)}
            for hour, count in zip(forecast.hours, forecast.arrivals, strict=True)
        ],
        "holdout": {
            "end": error.end.isoformat(),
            "days": [
                {
                    "date": row.day.isoformat(),
                    "actual": row.actual,
                    "forecast": round(row.forecast, 1),
                    "naive": round(row.naive, 1),
                    "wape": round(row.wape, 4),
                    "naive_wape": round(row.naive_wape, 4),
                }
                for row in error.days
            ],
            "method": _accuracy(error.method),
            "naive": _accuracy(error.naive),
            "beats_naive": error.beats_naive,
        },
    }


class Command(BaseCommand):
    help = (
        "Forecast a centre's arrivals per hour from its recorded tickets and report the error "
        "on held-out days, against the naive rule (same hour one week earlier)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", required=True, help="centre code, e.g. AST-01")
        parser.add_argument("--date", help="YYYY-MM-DD (default: the next day the centre opens)")
        parser.add_argument("--holdout-days", type=int, default=10)
        parser.add_argument("--weeks", type=int, default=WEEKS)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            centre = centres.centre_by_code(options["centre"])
        except OneStopError as exc:
            raise CommandError(exc.detail) from exc
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("--date must be YYYY-MM-DD.")) from None
        else:
            found = next_open_day(centre, clock.today())
            if found is None:
                raise CommandError(_("The centre does not open in the next two weeks."))
            day = found
        if options["holdout_days"] < 1 or options["weeks"] < 1:
            raise CommandError(_("--holdout-days and --weeks must be at least 1."))
        forecast = forecast_day(centre=centre, day=day, weeks=options["weeks"])
        error = holdout_error(
            centre=centre,
            end=min(day, clock.today()),
            days=options["holdout_days"],
            weeks=options["weeks"],
        )
        if options["json"]:
            self.stdout.write(json.dumps({"centre": centre.code, **as_json(forecast, error)}))
            return
        self._print_forecast(centre, forecast)
        self._print_error(error)

    def _print_forecast(self, centre: Centre, forecast: Forecast) -> None:
        if not forecast.is_open:
            self.stdout.write(
                _("%(centre)s is closed on %(day)s.")
                % {"centre": centre.code, "day": forecast.day.isoformat()}
            )
            return
        self.stdout.write(
            _("%(centre)s, %(day)s: arrivals expected: %(total).0f; past days used: %(days)s.")
            % {
                "centre": centre.code,
                "day": forecast.day.isoformat(),
                "total": forecast.total,
                "days": forecast.history_days,
            }
        )
        if not forecast.history_days:
            self.stdout.write(_("No recorded history for this weekday: nothing to forecast from."))
            return
        self.stdout.write(
            _("Priority groups: %(priority).1f%% of walk-ins; booked: %(booked).1f%% of visits.")
            % {"priority": 100 * forecast.priority_share, "booked": 100 * forecast.booked_share}
        )
        # Labels outside f-strings: the message extractor cannot see a `_()` inside one.
        hour_label, arrivals_label = _("Hour"), _("Arrivals")
        self.stdout.write(hour_label.ljust(8) + arrivals_label.rjust(10))
        for hour, count in zip(forecast.hours, forecast.arrivals, strict=True):
            self.stdout.write(f"{hour:02d}:00{'':<3}{count:>10.1f}")

    def _print_error(self, error: ForecastError) -> None:
        if error.method is None or error.naive is None:
            self.stdout.write(_("No past day to check the forecast against yet."))
            return
        self.stdout.write(
            _("Error on past days, each forecast from the days before it (days checked: %(days)s):")
            % {"days": len(error.days)}
        )
        heads = (_("MAE/hour"), _("WAPE"), _("day total MAE"), _("bias"))
        self.stdout.write(
            "".ljust(22) + "".join(h.rjust(w) for h, w in zip(heads, (10, 8, 15, 8), strict=True))
        )
        for label, figures in ((_("method"), error.method), (_("naive"), error.naive)):
            self.stdout.write(
                f"{label:<22}{figures.mae:>10.2f}{100 * figures.wape:>7.1f}%"
                f"{figures.total_mae:>15.1f}{figures.total_bias:>+8.1f}"
            )
        self.stdout.write(
            _("The method beats the naive rule.")
            if error.beats_naive
            else _("The method does not beat the naive rule.")
        )
