from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.monitoring import views_live

app_name = "live"
urlpatterns: list[URLPattern | URLResolver] = [
    path("monitoring/centres/<str:centre>/live/", views_live.live_page, name="centre"),
]
