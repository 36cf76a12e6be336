from __future__ import annotations

from django.urls import path

from onestop.feedback import views

app_name = "feedback"
urlpatterns = [
    path("t/<uuid:ticket_id>/rate", views.rate_page, name="rate"),
]
