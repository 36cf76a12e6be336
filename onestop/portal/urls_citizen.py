from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.portal import views_citizen as views

app_name = "citizen"
urlpatterns: list[URLPattern | URLResolver] = [
    path("my/", views.sign_in, name="sign_in"),
    path("my/code/", views.enter_code, name="code"),
    path("my/sign-out/", views.sign_out, name="sign_out"),
    path("my/applications/", views.my_applications, name="applications"),
    path("my/applications/<str:number>/rate", views.rate_application, name="rate"),
    path("my/bookings/", views.my_bookings, name="bookings"),
    path("my/access-log/", views.access_log, name="access_log"),
    path("dev/inbox/", views.dev_inbox, name="dev_inbox"),
]
