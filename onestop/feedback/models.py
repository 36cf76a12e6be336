from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.feedback.domain import Channel

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(models.Model):
    """One citizen's rating of one visit (a ticket served) or one result issued. The operator
    is recorded for the centre's statistics and never shown to the operator."""

    ticket = models.OneToOneField(
        "queue.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    application = models.OneToOneField(
        "cases.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline_met = models.BooleanField(_("deadline met"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    waiting = models.PositiveSmallIntegerField(_("waiting time"), validators=SCORE)
    speed = models.PositiveSmallIntegerField(_("speed of service"), validators=SCORE)
    politeness = models.PositiveSmallIntegerField(_("politeness and competence"), validators=SCORE)
    comfort = models.PositiveSmallIntegerField(_("comfort of the hall"), validators=SCORE)
    information = models.PositiveSmallIntegerField(_("clarity of information"), validators=SCORE)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket__isnull=False, application__isnull=True)
                | Q(ticket__isnull=True, application__isnull=False),
                name="rating_of_one_visit_or_one_result",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.created_at:%Y-%m-%d}"


class FollowUp(models.Model):
    """A low score: the centre manager answers within the clock."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="follow_up")
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"))
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up of a low rating")
        verbose_name_plural = _("follow-ups of low ratings")

    def __str__(self) -> str:
        return f"{self.rating_id} due {self.due_at:%Y-%m-%d}"


# Complaints live in their own module of this app (onestop/feedback/complaints/).
from onestop.feedback.complaints.models import Complaint, ComplaintCounter  # noqa: E402

__all__ = ["Complaint", "ComplaintCounter", "FollowUp", "Rating"]
