from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.feedback.complaints import open311, views, views_desk

app_name = "complaints"
urlpatterns: list[URLPattern | URLResolver] = [
    # Citizens (fixed paths before the complaint number).
    path("complaints/new/", views.new_complaint, name="new"),
    path("complaints/status/", views.status_page, name="status"),
    # Staff.
    path("complaints/desk/", views_desk.desk_page, name="desk"),
    path("complaints/desk/<str:number>/", views_desk.complaint_page, name="desk_complaint"),
    path(
        "complaints/desk/<str:number>/<slug:action>/",
        views_desk.complaint_act,
        name="desk_act",
    ),
    path("complaints/<str:number>/", views.detail, name="detail"),
    path("complaints/<str:number>/receipt.pdf", views.receipt, name="receipt"),
    # Open311 GeoReport v2 (JSON) for civic clients.
    path("open311/discovery.json", open311.discovery, name="open311_discovery"),
    path("open311/v2/services.json", open311.service_list, name="open311_services"),
    path(
        "open311/v2/services/<str:code>.json",
        open311.service_definition,
        name="open311_service",
    ),
    path("open311/v2/requests.json", open311.requests, name="open311_requests"),
    path(
        "open311/v2/requests/<str:number>.json",
        open311.request_detail,
        name="open311_request",
    ),
]
