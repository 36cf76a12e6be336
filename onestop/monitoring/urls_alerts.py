from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from onestop.monitoring import views_alerts

app_name = "alerts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("monitoring/alerts/", views_alerts.alerts_page, name="list"),
    path("monitoring/alerts/<int:alert_id>/seen/", views_alerts.alert_seen, name="seen"),
    path("monitoring/alerts/<int:alert_id>/resolve/", views_alerts.alert_resolve, name="resolve"),
]
