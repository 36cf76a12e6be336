from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.queue import views_board

app_name = "board"

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/centres/<str:centre>/events", views_board.centre_events, name="events"),
    path("api/v1/centres/<str:centre>/board", views_board.board_snapshot, name="snapshot"),
    path("board/<str:centre>/", views_board.board_page, name="page"),
]
