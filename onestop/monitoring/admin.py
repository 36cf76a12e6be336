from __future__ import annotations

from django.contrib import admin

from onestop.core.admin_audit import AuditedModelAdmin, ReadOnlyAdmin
from onestop.monitoring.models_alerts import Alert, AlertThreshold


@admin.register(AlertThreshold)
class AlertThresholdAdmin(AuditedModelAdmin):
    list_display = ("kind", "centre", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("raised_at", "kind", "centre", "department", "seen_at", "resolved_at")
    list_filter = ("kind", "centre", "department")
