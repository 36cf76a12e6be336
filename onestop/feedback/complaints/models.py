"""A citizen's complaint and its clocks. Loaded with the feedback app's models."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.feedback.complaints.domain import (
    Against,
    Category,
    Channel,
    ComplaintStatus,
    EscalationReason,
    Outcome,
    Reviewer,
)

STAFF = settings.AUTH_USER_MODEL


class ComplaintCounter(models.Model):
    """The last sequence number of the day (CMP-20261202-0001, -0002 …), country-wide."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Complaint(models.Model):
    """A citizen's complaint against a centre, a department or one application, with the
    provider's clock and, once escalated, the quality reviewer's."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    against = models.CharField(_("against"), max_length=12, choices=Against.choices)
    reviewed_by = models.CharField(_("reviewed by"), max_length=12, choices=Reviewer.choices)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "centres.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        "cases.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.REGISTERED,
    )
    description = models.TextField(_("what happened"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # The citizen (no account: the IIN and the contacts they left).
    iin = models.CharField(_("IIN"), max_length=12, db_index=True)
    name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="kk")
    identified = models.BooleanField(
        _("identified by a one-time code"), default=False, help_text=_("Else the IIN is as typed.")
    )
    consent_at = models.DateTimeField(_("consent to personal-data processing"))
    registered_by = models.ForeignKey(
        STAFF,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A member of staff who took it down for the citizen (call centre, counter)."),
    )
    registered_at = models.DateTimeField(_("registered"))
    # The provider's review.
    due_at = models.DateTimeField(_("answer due"))
    assigned_to = models.ForeignKey(
        STAFF,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        STAFF,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # The citizen's response to the answer.
    responded_at = models.DateTimeField(_("citizen responded"), null=True, blank=True)
    dispute_reason = models.TextField(_("why the answer is disputed"), blank=True)
    # The quality reviewer.
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalation_reason = models.CharField(
        _("why escalated"), max_length=10, choices=EscalationReason.choices, blank=True
    )
    escalation_note = models.TextField(_("escalation note"), blank=True)
    review_due_at = models.DateTimeField(_("reviewer's decision due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("decided by the reviewer"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        STAFF,
        verbose_name=_("quality reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_outcome = models.CharField(
        _("reviewer's outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    resolution = models.TextField(_("reviewer's decision"), blank=True)
    updated_at = models.DateTimeField(_("last change"))
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(
                fields=["iin", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="unique_complaint_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(centre__isnull=False) | Q(department__isnull=False),
                name="complaint_against_a_centre_or_a_department",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="complaint_clock_idx"),
            models.Index(fields=["centre", "status"], name="complaint_centre_idx"),
            models.Index(fields=["department", "status"], name="complaint_department_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"

    @property
    def clock_due_at(self) -> datetime:
        """The clock that runs now: the reviewer's once escalated, else the provider's."""
        if self.status in (ComplaintStatus.ESCALATED, ComplaintStatus.RESOLVED):
            return self.review_due_at or self.due_at
        return self.due_at
