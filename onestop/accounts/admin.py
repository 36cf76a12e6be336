from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from onestop.accounts.models import ApiToken, RoleAssignment, User
from onestop.audit import services as audit
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

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's own password view bypasses save_model: audit it here, in one transaction
        with the change (the new password itself is never recorded)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                actor = request.user if isinstance(request.user, User) else None
                audit.record(actor=actor, action="admin.password_changed", target=user)
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "label", "created_at", "expires_at", "revoked_at")
    exclude = ("key_hash",)
