from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.monitoring import views, views_overview

app_name = "monitoring"
urlpatterns: list[URLPattern | URLResolver] = [
    path("monitoring/", views_overview.overview_page, name="overview"),
    path("monitoring/centres/<str:code>/", views_overview.centre_page, name="centre"),
    path("performance/", views.performance, name="performance"),
    path("performance/data.json", views.performance_json, name="performance_json"),
    path("performance/data.csv", views.performance_csv, name="performance_csv"),
]
