"""The feedback tablet that stands at a window."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.feedback import views_tablet as views

app_name = "tablet"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tablet/<str:centre>/<int:window>/", views.tablet_page, name="page"),
    path("tablet/<str:centre>/<int:window>/now", views.tablet_now, name="now"),
]
