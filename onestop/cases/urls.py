from __future__ import annotations

from django.urls import path

from onestop.cases import views

app_name = "cases"
urlpatterns = [
    path("applications/status/", views.status_page, name="status"),
]
