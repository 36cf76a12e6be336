from __future__ import annotations

from django.contrib import admin

from onestop.core.admin_audit import AuditedModelAdmin
from onestop.core.models import CalendarOverride, MonthlyCalculationIndex


@admin.register(MonthlyCalculationIndex)
class MonthlyCalculationIndexAdmin(AuditedModelAdmin):
    list_display = ("year", "tenge", "legal_basis")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedModelAdmin):
    list_display = ("date", "is_working", "decree", "note")
    list_filter = ("is_working",)
    date_hierarchy = "date"
