from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.cases import views, views_backoffice

app_name = "cases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/status/", views.status_page, name="status"),
    path("backoffice/", views_backoffice.work_queue, name="backoffice"),
    path("backoffice/cases/<str:number>/", views_backoffice.case_page, name="case"),
    path(
        "backoffice/cases/<str:number>/<slug:action>/",
        views_backoffice.act,
        name="case_act",
    ),
]
