"""Alerts raised by `alerts.check_alerts()` and the thresholds that decide them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.monitoring.alerts_domain import AlertKind, AlertState, state_of


class Alert(models.Model):
    """One alert, from raised to resolved. `details` holds figures only, no personal data."""

    kind = models.CharField(_("kind"), max_length=32, choices=AlertKind.choices)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised"))
    seen_at = models.DateTimeField(_("seen"), null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seen by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    auto_resolved = models.BooleanField(_("resolved by itself"), default=False)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at"]
        constraints = [
            # One open alert per kind and centre (centre kinds) or department (department kinds).
            models.UniqueConstraint(
                fields=["kind", "centre"],
                condition=Q(resolved_at__isnull=True, centre__isnull=False),
                name="alert_one_open_per_centre",
            ),
            models.UniqueConstraint(
                fields=["kind", "department"],
                condition=Q(resolved_at__isnull=True, department__isnull=False),
                name="alert_one_open_per_department",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "centre"], name="alert_open_centre_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.centre_id or self.department_id} {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def state(self) -> AlertState:
        return state_of(seen=self.seen_at is not None, resolved=self.resolved_at is not None)


class AlertThreshold(models.Model):
    """An administrator's thresholds for one kind: the country's (no centre) or one centre's
    override. Empty values fall back to the country's row, then to the defaults."""

    kind = models.CharField(_("kind"), max_length=32, choices=AlertKind.choices)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty for the whole country."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    wait_over_target_count = models.PositiveIntegerField(
        _("visitors past the target wait"), null=True, blank=True
    )
    wait_over_target_minutes = models.PositiveIntegerField(
        _("minutes past the target wait"), null=True, blank=True
    )
    queue_waiting = models.PositiveIntegerField(_("people waiting"), null=True, blank=True)
    queue_idle_windows = models.PositiveIntegerField(
        _("windows idle or paused"), null=True, blank=True
    )
    deadline_working_days = models.PositiveIntegerField(
        _("working days left"), null=True, blank=True
    )
    deadline_count = models.PositiveIntegerField(
        _("applications near their deadline"), null=True, blank=True
    )
    satisfaction_drop = models.DecimalField(
        _("fall in average satisfaction"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    satisfaction_min_ratings = models.PositiveIntegerField(
        _("minimum ratings"), null=True, blank=True
    )
    satisfaction_weeks = models.PositiveIntegerField(
        _("previous weeks compared"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("alert threshold")
        verbose_name_plural = _("alert thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(centre__isnull=True), name="alertthreshold_country"
            ),
            models.UniqueConstraint(
                fields=["kind", "centre"],
                condition=Q(centre__isnull=False),
                name="alertthreshold_centre",
            ),
        ]

    def __str__(self) -> str:
        return f"{AlertKind(self.kind).label} ({self.centre or _('country')})"
