from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.queue import views_console

app_name = "console"
urlpatterns: list[URLPattern | URLResolver] = [
    path("console/", views_console.window_list, name="windows"),
    path("console/<str:centre>/<int:number>/", views_console.desk, name="desk"),
    path(
        "console/<str:centre>/<int:number>/<slug:action>/",
        views_console.act,
        name="act",
    ),
]
