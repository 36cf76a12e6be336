from __future__ import annotations

from django.urls import URLPattern, path

from onestop.planning import views

app_name = "planning"

urlpatterns: list[URLPattern] = [
    path("planning/", views.index, name="index"),
    path("planning/reference/", views.reference, name="reference"),
    path("planning/centres/<str:code>/", views.centre_page, name="centre"),
]
