from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.monitoring import views_reports

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("monitoring/reports/", views_reports.reports_page, name="page"),
    path("monitoring/reports/export.csv", views_reports.export, {"fmt": "csv"}, name="csv"),
    path("monitoring/reports/export.xlsx", views_reports.export, {"fmt": "xlsx"}, name="xlsx"),
    path(
        "monitoring/reports/centres/<str:code>/<str:month>.pdf",
        views_reports.centre_month_pdf,
        name="centre_month",
    ),
]
