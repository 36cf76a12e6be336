from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from onestop.centres import services
from onestop.centres.domain import DeviceKind
from onestop.centres.models import (
    Centre,
    Device,
    OpeningException,
    OpeningHours,
    Region,
    Window,
)
from onestop.core.admin_audit import AuditedModelAdmin


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


@admin.register(Centre)
class CentreAdmin(AuditedModelAdmin):
    list_display = ("code", "name_ru", "region", "level", "is_active")
    list_filter = ("region", "level", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    inlines = [OpeningHoursInline, OpeningExceptionInline]


@admin.register(Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ("centre", "number", "state")
    list_filter = ("centre", "state")
    filter_horizontal = ("services",)


def device_link(request: HttpRequest, device: Device, raw: str) -> str | None:
    """The address that binds a browser to a kiosk or feedback tablet (the token in it is
    swapped for a cookie on the first visit); None for a device without a page of its own."""
    if device.kind == DeviceKind.KIOSK:
        path = reverse("kiosk:start", args=[device.centre.code])
    elif device.kind == DeviceKind.TABLET and device.window is not None:
        path = reverse("tablet:page", args=[device.centre.code, device.window.number])
    else:
        return None
    return request.build_absolute_uri(f"{path}?{urlencode({'device': raw})}")


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    list_display = ("centre", "name", "kind", "window", "token_issued_at", "is_active")
    list_filter = ("centre", "kind", "is_active")
    list_select_related = ("centre", "window")
    exclude = ("token_hash",)
    readonly_fields = ("token_issued_at",)
    actions = ["issue_token"]

    @admin.action(description=_("Issue a new token (the old one stops working)"))
    def issue_token(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        actor = request.user if request.user.is_authenticated else None
        for device in queryset.select_related("centre", "window"):
            raw = services.issue_device_token(device=device, actor=actor)
            link = device_link(request, device, raw)
            if link is None:
                text = _("Token for %(device)s (shown once, copy it now): %(token)s")
            else:
                text = _(
                    "Open this address on %(device)s: %(link)s — "
                    "its token (shown once, copy it now): %(token)s"
                )
            self.message_user(
                request,
                text % {"device": device, "token": raw, "link": link},
                level=messages.WARNING,
            )
