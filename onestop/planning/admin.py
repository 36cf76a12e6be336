from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from onestop.core import clock
from onestop.core.admin_audit import AuditedModelAdmin
from onestop.planning.models import StaffingPlan, StaffingTargets


@admin.register(StaffingTargets)
class StaffingTargetsAdmin(AuditedModelAdmin):
    list_display = ("centre", "walk_in_minutes", "booked_minutes", "priority_minutes", "updated_at")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        obj.updated_by, obj.updated_at = request.user, clock.now()
        super().save_model(request, obj, form, change)


@admin.register(StaffingPlan)
class StaffingPlanAdmin(AuditedModelAdmin):
    """Plans are made and checked on the planning page; here they are looked up or removed."""

    list_display = ("centre", "date", "saved_by", "saved_at")
    list_filter = ("centre",)
    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
