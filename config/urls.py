from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.api import api

admin.site.site_header = _("OneStop administration")
admin.site.site_title = _("OneStop administration")
admin.site.index_title = _("Reference data, centres and staff")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("onestop.queue.urls_board")),  # before the API: it serves the SSE stream
    path("api/v1/", api.urls),
    path("", include("onestop.queue.urls_kiosk")),
    path("", include("onestop.queue.urls_console")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("onestop.cases.urls")),
    path("", include("onestop.cases.urls_intake")),
    path("", include("onestop.feedback.urls")),
    path("", include("onestop.feedback.urls_complaints")),
    path("", include("onestop.feedback.urls_tablet")),
    path("", include("onestop.portal.urls_citizen")),
    path("", include("onestop.portal.urls_booking")),
    path("", include("onestop.callcentre.urls")),
    path("", include("onestop.monitoring.urls")),
    path("", include("onestop.monitoring.urls_live")),
    path("", include("onestop.monitoring.urls_reports")),
    path("", include("onestop.monitoring.urls_deadlines")),
    path("", include("onestop.monitoring.urls_alerts")),
    path("", include("onestop.planning.urls")),
    path("", include("onestop.accounts.urls")),
    path("", include("onestop.portal.urls")),
]
