from __future__ import annotations

from django.contrib import admin

from onestop.audit.models import AuditEntry
from onestop.core.admin_audit import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_id", "action")
