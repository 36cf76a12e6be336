from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "tablet"
urlpatterns: list[URLPattern | URLResolver] = []
