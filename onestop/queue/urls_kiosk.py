"""The kiosk, its printed ticket, and the citizen's live ticket page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.queue import views_kiosk as views

app_name = "kiosk"
urlpatterns: list[URLPattern | URLResolver] = [
    path("kiosk/<str:centre>/", views.kiosk_start, name="start"),
    path("kiosk/<str:centre>/service/<str:service>/", views.kiosk_form, name="form"),
    path("kiosk/<str:centre>/booking/", views.kiosk_checkin, name="checkin"),
    path("kiosk/<str:centre>/result/", views.kiosk_pickup, name="pickup"),
    path("kiosk/<str:centre>/ticket/<uuid:ticket_id>/", views.printed_ticket, name="printed"),
    path("t/<uuid:ticket_id>/", views.live_ticket, name="live"),
    path("t/<uuid:ticket_id>/status", views.live_status, name="live_status"),
    path("t/<uuid:ticket_id>/cancel", views.cancel_ticket, name="live_cancel"),
]
