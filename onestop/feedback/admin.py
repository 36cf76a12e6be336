from __future__ import annotations

from django.contrib import admin

from onestop.core.admin_audit import ReadOnlyAdmin
from onestop.feedback.models import FollowUp, Rating


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "centre", "service", "waiting", "speed", "politeness")
    list_filter = ("centre", "channel")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("opened_at", "centre", "due_at", "answered_at")
    list_filter = ("centre",)
