from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.i18n import Localized


class Named(Localized, models.Model):
    """A name in the state language, Russian and English; `.name` picks the active one."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=500)
    name_ru = models.CharField(_("name (Russian)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500)

    class Meta:
        abstract = True


class MonthlyCalculationIndex(models.Model):
    """MCI (МРП / АЕК): the yearly figure set by the budget law in which fees are expressed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    tenge = models.DecimalField(
        _("value in tenge"), max_digits=10, decimal_places=2, validators=[MinValueValidator(1)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("monthly calculation index")
        verbose_name_plural = _("monthly calculation indices")

    def __str__(self) -> str:
        return f"{self.year}: {self.tenge} ₸"


class CalendarOverride(models.Model):
    """A day the government declared working or a day off against the ordinary calendar."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    decree = models.CharField(_("decree"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date}: {'working' if self.is_working else 'day off'}"
