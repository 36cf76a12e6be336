"""The forecast of a centre's day and its measured error, said in words for the manager."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.planning.forecast import Forecast, ForecastError


def _percent(share: float) -> str:
    return number_format(round(100 * share), 0)


def forecast_note(forecast: Forecast, error: ForecastError) -> list[str]:
    """Sentences: where the forecast comes from, and how far off it was on past days."""
    if not forecast.history_days:
        return [
            _(
                "There is no recorded history of this weekday yet, so there is no forecast: "
                "type the arrivals you expect in each hour and press Re-simulate."
            )
        ]
    said = [
        ngettext(
            "Forecast from %(count)s past day on the same weekday (recent weeks count more): "
            "%(total)s citizens expected.",
            "Forecast from %(count)s past days on the same weekday (recent weeks count more): "
            "%(total)s citizens expected.",
            forecast.history_days,
        )
        % {"count": forecast.history_days, "total": number_format(round(forecast.total), 0)}
    ]
    if error.method is None or error.naive is None:
        said.append(_("Its error cannot be measured yet: too few recorded days."))
        return said
    checked = len(error.days)
    said.append(
        ngettext(
            "Checked on the last %(count)s recorded day, each forecast only from the days "
            "before it: the arrivals per hour were off by %(wape)s %% on average, the day's "
            "total by %(total)s citizens.",
            "Checked on the last %(count)s recorded days, each forecast only from the days "
            "before it: the arrivals per hour were off by %(wape)s %% on average, the day's "
            "total by %(total)s citizens.",
            checked,
        )
        % {
            "count": checked,
            "wape": _percent(error.method.wape),
            "total": number_format(round(error.method.total_mae), 0),
        }
    )
    if error.beats_naive:
        said.append(
            _(
                "Taking the same hour a week earlier would have been off by %(wape)s %%: "
                "the forecast does better."
            )
            % {"wape": _percent(error.naive.wape)}
        )
    else:
        said.append(
            _(
                "Taking the same hour a week earlier would have been off by %(wape)s %%: "
                "the forecast does no better, so check the arrivals before you rely on them."
            )
            % {"wape": _percent(error.naive.wape)}
        )
    return said
