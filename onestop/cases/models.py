from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.cases.domain import CaseStatus


class ApplicationCounter(models.Model):
    """The last sequence number of the day per centre (AST-01-20261130-0001, -0002 …)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "day"], name="unique_application_counter")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.day} {self.last}"


class Application(models.Model):
    """One application for one service: the case record from the counter to the result."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    visit = models.UUIDField(
        _("visit"), default=uuid.uuid4, help_text=_("Applications opened in one visit share it.")
    )
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The back office that holds the case now (forwarding changes it)."),
    )
    region = models.ForeignKey(
        "centres.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    ticket = models.ForeignKey(
        "queue.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The applicant, and who acted for them.
    applicant_iin = models.CharField(_("applicant's IIN"), max_length=12, db_index=True)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_birth_date = models.DateField(_("applicant's date of birth"))
    representative_name = models.CharField(_("representative"), max_length=200, blank=True)
    representative_iin = models.CharField(_("representative's IIN"), max_length=12, blank=True)
    power_of_attorney = models.CharField(_("power of attorney"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, default="kk")
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent to personal-data processing"))
    # Money and the clock.
    urgency_working_days = models.PositiveSmallIntegerField(
        _("urgency (working days)"), null=True, blank=True
    )
    fee_mci = models.DecimalField(_("fee in MCI"), max_digits=8, decimal_places=3)
    fee_tenge = models.DecimalField(_("fee in tenge"), max_digits=12, decimal_places=0)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    registered_at = models.DateTimeField(_("registered"))
    deadline_at = models.DateTimeField(_("deadline"))
    due_soon_noted_at = models.DateTimeField(_("due soon noted"), null=True, blank=True)
    overdue_noted_at = models.DateTimeField(_("overdue noted"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned for documents"), null=True, blank=True)
    return_note = models.CharField(_("what is missing"), max_length=500, blank=True)
    # The back office and the decision.
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at_counter = models.BooleanField(_("decided at the counter"), default=False)
    result_number = models.CharField(_("result document number"), max_length=60, blank=True)
    refusal_ground = models.ForeignKey(
        "catalog.RefusalGround",
        verbose_name=_("ground for refusal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_text = models.TextField(_("reasons"), blank=True)
    recheck_pending = models.BooleanField(_("waiting for a back-office re-check"), default=False)
    recheck_outcome = models.CharField(
        _("re-check"),
        max_length=10,
        blank=True,
        choices=[("confirmed", _("Confirmed")), ("reversed", _("Reversed"))],
    )
    rechecked_at = models.DateTimeField(_("re-checked"), null=True, blank=True)
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_ready_at = models.DateTimeField(_("result at the centre"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        ordering = ["deadline_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "idempotency_key", "service"],
                condition=Q(idempotency_key__isnull=False),
                name="unique_application_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "deadline_at"], name="case_work_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_officer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"


class DocumentState(models.TextChoices):
    PRESENTED = "presented", _("Presented")
    MISSING = "missing", _("Missing")
    OBTAINED = "obtained", _("Obtained by the centre by IIN")


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "catalog.RequiredDocument", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices)
    registry_reference = models.CharField(_("registry reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["document__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document"], name="unique_application_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.document_id} {self.state}"
