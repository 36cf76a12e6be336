from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.core.i18n import pick

register = template.Library()


@register.filter(name="pick")
def pick_filter(obj: Any, field: str) -> str:
    """`{{ service|pick:"result" }}`: the field in the active language."""
    return pick(obj, field)


@register.simple_tag
def deadline_text(value: int, unit: str) -> str:
    if unit == "hours":
        return ngettext("%(n)s hour", "%(n)s hours", value) % {"n": value}
    if unit == "calendar_days":
        return ngettext("%(n)s calendar day", "%(n)s calendar days", value) % {"n": value}
    return ngettext("%(n)s working day", "%(n)s working days", value) % {"n": value}


@register.filter
def tenge(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    if amount == 0:
        return _("free of charge")
    return f"{number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)}\xa0₸"


@register.filter
def mci(amount: Decimal) -> str:
    text = number_format(amount.normalize(), use_l10n=True)
    return _("%(amount)s MCI") % {"amount": text}
