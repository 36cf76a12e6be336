from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.monitoring import views_deadlines

app_name = "deadlines"
urlpatterns: list[URLPattern | URLResolver] = [
    path("monitoring/deadlines/", views_deadlines.deadlines_page, name="overview"),
    path("monitoring/deadlines/overdue/", views_deadlines.overdue_page, name="overdue"),
    path("monitoring/deadlines/cases/<str:number>/", views_deadlines.case_page, name="case"),
    path("monitoring/satisfaction/", views_deadlines.satisfaction_page, name="satisfaction"),
]
