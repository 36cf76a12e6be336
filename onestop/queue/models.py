from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.domain import Outcome, PriorityGroup, TicketPurpose, TicketStatus


class TicketCounter(models.Model):
    """The last sequence number issued today per centre and letter (A001, A002 ...)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE)
    day = models.DateField()
    letter = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "letter"], name="unique_counter")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.day} {self.letter}{self.last}"


class Ticket(models.Model):
    """One visitor's place in a centre's queue, from the kiosk to the end of service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=8)
    sequence = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    priority = models.CharField(
        _("priority group"),
        max_length=16,
        choices=PriorityGroup.choices,
        default=PriorityGroup.NONE,
    )
    priority_from_iin = models.BooleanField(
        _("pension age established from the IIN"), default=False
    )
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=2, default="kk")
    issued_at = models.DateTimeField(_("issued"))  # kept through transfers: the queue position
    slot_at = models.DateTimeField(_("booked slot"), null=True, blank=True)
    target_window = models.PositiveSmallIntegerField(_("sent to window"), null=True, blank=True)
    window = models.ForeignKey(
        "centres.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    transfers = models.PositiveSmallIntegerField(_("transfers"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    turn_near_sms_at = models.DateTimeField(
        _("“your turn is near” SMS sent"), null=True, blank=True
    )
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=TicketPurpose.choices, default=TicketPurpose.VISIT
    )
    reference = models.CharField(
        _("application number"),
        max_length=40,
        blank=True,
        help_text=_("For a ticket to collect a result: the application it is for."),
    )

    class Meta:
        ordering = ["issued_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "day", "number"], name="unique_ticket_number_per_day"
            ),
            models.UniqueConstraint(
                fields=["centre", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="unique_ticket_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status", "issued_at"], name="ticket_queue_idx"),
            models.Index(fields=["window", "status"], name="ticket_window_idx"),
            # The feedback tablet asks every few seconds for the window's last finished visit.
            models.Index(fields=["window", "finished_at"], name="ticket_window_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"


class WindowSession(models.Model):
    """An operator sitting at a window, from taking it to leaving it."""

    window = models.ForeignKey(
        "centres.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("window session")
        verbose_name_plural = _("window sessions")
        constraints = [
            # One operator per window, and one window per operator, at a time.
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(closed_at__isnull=True),
                name="one_open_session_per_window",
            ),
            models.UniqueConstraint(
                fields=["operator"],
                condition=Q(closed_at__isnull=True),
                name="one_open_session_per_operator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window} — {self.operator}"


class Break(models.Model):
    """A pause at a window, with its reason: the wellbeing view counts these."""

    session = models.ForeignKey(WindowSession, on_delete=models.CASCADE, related_name="breaks")
    reason = models.CharField(_("reason"), max_length=200)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("break")
        verbose_name_plural = _("breaks")

    def __str__(self) -> str:
        return f"{self.session} {self.reason}"


class Booking(models.Model):
    """A seat at a centre for one service at one slot, held for an IIN, until check-in."""

    code = models.CharField(_("booking code"), max_length=8, unique=True)
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    slot_at = models.DateTimeField(_("booked slot"))
    iin = models.CharField(_("IIN"), max_length=12)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=2, default="kk")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BookingStatus.choices,
        default=BookingStatus.BOOKED,
    )
    created_at = models.DateTimeField(_("created"))
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        ordering = ["slot_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="unique_booking_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "service", "slot_at"], name="booking_slot_idx"),
            models.Index(fields=["iin", "status"], name="booking_iin_idx"),
            models.Index(fields=["status", "slot_at"], name="booking_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"
