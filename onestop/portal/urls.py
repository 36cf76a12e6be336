from __future__ import annotations

from django.urls import path

from onestop.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_list, name="services"),
    path("services/<str:code>/", views.service_detail, name="service"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/<str:code>/", views.centre_detail, name="centre"),
]
