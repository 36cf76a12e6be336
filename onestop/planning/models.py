"""What a centre's management keeps of its staffing planning: its wait targets and the plans
it saved for given days. The planning itself (forecast, simulation, recommendation) keeps no
state: it is recomputed from these and the centre's history."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.planning import domain

TARGET = [MinValueValidator(domain.TARGET_MIN), MaxValueValidator(domain.TARGET_MAX)]


class StaffingTargets(models.Model):
    """The p95 waits, in minutes, that the centre's plans must keep for each group."""

    centre = models.OneToOneField(
        "centres.Centre",
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="staffing_targets",
    )
    walk_in_minutes = models.PositiveSmallIntegerField(
        _("walk-in visitors' p95 wait (min)"), default=15, validators=TARGET
    )
    booked_minutes = models.PositiveSmallIntegerField(
        _("booked visitors' p95 wait (min)"), default=5, validators=TARGET
    )
    priority_minutes = models.PositiveSmallIntegerField(
        _("priority groups' p95 wait (min)"), default=3, validators=TARGET
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("staffing targets")
        verbose_name_plural = _("staffing targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(walk_in_minutes__gt=0, booked_minutes__gt=0, priority_minutes__gt=0),
                name="staffing_targets_positive",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.centre_id}: {self.walk_in_minutes}/{self.booked_minutes}/"
            f"{self.priority_minutes} min"
        )


class StaffingPlan(models.Model):
    """The plan the management saved for one day of one centre: per opening hour, the
    arrivals it planned for, the windows it opens and the break minutes taken in it.

    `hours` is a list of {"start": "HH:MM", "arrivals": float, "windows": int,
    "break_minutes": int}, one per hour the centre opens that day."""

    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="staffing_plans",
    )
    date = models.DateField(_("date"))
    hours = models.JSONField(_("hours"), default=list)
    note = models.TextField(_("note"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["centre", "-date"]
        verbose_name = _("staffing plan")
        verbose_name_plural = _("staffing plans")
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], name="one_staffing_plan_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.date:%Y-%m-%d}"

    def hour_plans(self) -> tuple[domain.HourPlan, ...]:
        return tuple(
            domain.HourPlan(
                arrivals=float(row.get("arrivals", 0)),
                windows=int(row.get("windows", 0)),
                break_minutes=int(row.get("break_minutes", 0)),
            )
            for row in self.hours
        )
