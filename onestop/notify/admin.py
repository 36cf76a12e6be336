from __future__ import annotations

from django.contrib import admin

from onestop.core.admin_audit import ReadOnlyAdmin
from onestop.notify.models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient", "status")
    list_filter = ("channel", "status")
