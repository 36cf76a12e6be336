from __future__ import annotations

from django.urls import path

from onestop.cases import views_intake

app_name = "intake"
urlpatterns = [
    path("console/<str:centre>/applications/new/", views_intake.intake_page, name="new"),
    path("console/<str:centre>/applications/issue/", views_intake.issue_page, name="issue"),
    path(
        "console/<str:centre>/applications/missing.pdf",
        views_intake.missing_sheet,
        name="missing",
    ),
]
