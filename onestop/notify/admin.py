from __future__ import annotations

from django.contrib import admin

from onestop.core.admin_audit import ReadOnlyAdmin
from onestop.notify.models import InboundMessage, Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient", "status")
    list_filter = ("channel", "status")


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "sender", "command", "language")
    list_filter = ("command", "language")
