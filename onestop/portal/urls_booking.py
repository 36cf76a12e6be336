from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.portal import views_booking as views

app_name = "booking"
urlpatterns: list[URLPattern | URLResolver] = [
    path("book/", views.book_page, name="book"),
    path("bookings/", views.find_booking, name="find"),
    path("bookings/<str:code>/", views.booking_page, name="page"),
    path("bookings/<str:code>/cancel/", views.cancel_booking, name="cancel"),
    path("bookings/<str:code>/rebook/", views.rebook_page, name="rebook"),
]
