from __future__ import annotations

from django.urls import path

from onestop.feedback import views

app_name = "feedback"
urlpatterns = [
    path("t/<uuid:ticket_id>/rate", views.rate_page, name="rate"),
    path("centre/<str:centre>/follow-ups/", views.follow_up_page, name="follow_ups"),
]
