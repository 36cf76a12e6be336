from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.callcentre import views

app_name = "callcentre"
urlpatterns: list[URLPattern | URLResolver] = [
    path("callcentre/", views.desk, name="desk"),
]
