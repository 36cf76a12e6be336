"""Aggregate tables for the Situational Centre, one row per centre, service and day, kept
current from the outbox by `aggregates.refresh()`: the dashboards read these, never the
history of tickets, applications, ratings or complaints."""

from __future__ import annotations

from django.db import models


class StatsCursor(models.Model):
    """How far the fold has read the outbox: every event id up to `position` has been
    applied (or given up on as a rolled-back id); `gap_since` is when a hole above it was
    first seen (epoch seconds)."""

    name = models.CharField(max_length=40, primary_key=True)
    position = models.BigIntegerField(default=0)
    gap_since = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.position}"


class QueueDay(models.Model):
    """The hall's day at one centre for one service (the ticket's day of issue)."""

    day = models.DateField()
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    issued = models.PositiveIntegerField(default=0)  # by the service asked for at the kiosk
    transferred = models.PositiveIntegerField(default=0)  # by the service sent on to
    served = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    waits = models.PositiveIntegerField(default=0)  # served tickets: issue to the last call
    wait_seconds = models.BigIntegerField(default=0)
    waits_over_target = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)  # served tickets: start to finish
    handle_seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "centre", "service"], name="queueday_key")
        ]
        indexes = [models.Index(fields=["day", "centre"], name="queueday_day_centre_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.centre_id}"


class CaseDay(models.Model):
    """Applications registered (on their day) and decided (on the day of decision)."""

    day = models.DateField()
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("catalog.Department", on_delete=models.CASCADE, related_name="+")
    registered = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    decided_on_time = models.PositiveIntegerField(default=0)
    decide_days = models.PositiveIntegerField(default=0)  # calendar days, registration to decision

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "centre", "service", "department"], name="caseday_key"
            )
        ]
        indexes = [models.Index(fields=["day", "centre"], name="caseday_day_centre_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.centre_id}"


class RatingDay(models.Model):
    """Ratings of one centre's day: sums per criterion. `service` is filled when the rating
    event names it; otherwise the row is the centre's."""

    day = models.DateField()
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ratings = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    speed = models.PositiveIntegerField(default=0)
    politeness = models.PositiveIntegerField(default=0)
    comfort = models.PositiveIntegerField(default=0)
    information = models.PositiveIntegerField(default=0)
    low = models.PositiveIntegerField(default=0)  # ratings with any criterion at 2 or below

    class Meta:
        indexes = [models.Index(fields=["day", "centre"], name="ratingday_day_centre_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.centre_id}"


class ComplaintDay(models.Model):
    """Complaints against a centre or a department: registered on their day, answered on
    the day of the answer."""

    day = models.DateField()
    centre = models.ForeignKey(
        "centres.Centre", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "catalog.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    registered = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "centre"], name="complaintday_day_centre_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.centre_id}"


class CentreDay(models.Model):
    """One centre's day, all services together: the sums of its QueueDay, CaseDay, RatingDay
    and ComplaintDay rows, kept by the fold in the same transaction. The national dashboard
    reads these: at most one row per centre and day, whatever the history."""

    day = models.DateField()
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    issued = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    waits = models.PositiveIntegerField(default=0)
    wait_seconds = models.BigIntegerField(default=0)
    waits_over_target = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)
    handle_seconds = models.BigIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)  # CaseDay.registered
    decided = models.PositiveIntegerField(default=0)
    decided_on_time = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    rating_points = models.PositiveIntegerField(default=0)  # the five criteria summed
    complaints = models.PositiveIntegerField(default=0)  # ComplaintDay.registered
    complaints_answered = models.PositiveIntegerField(default=0)
    complaints_answered_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day"], name="centreday_key")]
        indexes = [models.Index(fields=["day", "centre"], name="centreday_day_centre_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.centre_id}"


from onestop.monitoring.models_alerts import Alert, AlertThreshold  # noqa: E402, F401
