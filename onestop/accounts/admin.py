from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from onestop.accounts.models import ApiToken, RoleAssignment, User
from onestop.core.admin_audit import AuditedModelAdmin, ReadOnlyAdmin


class RoleAssignmentInline(admin.StackedInline):
    model = RoleAssignment
    extra = 0
    filter_horizontal = ("windows",)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (None, {"fields": ("preferred_language",)}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "label", "created_at", "expires_at", "revoked_at")
    exclude = ("key_hash",)
