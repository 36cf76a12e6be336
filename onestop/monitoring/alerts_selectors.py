"""Alerts as the pages and the API show them: open first, newest first, within the reader's
scope (onestop.monitoring.alerts_access decides the scope)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Value, When

from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.monitoring import alerts_access
from onestop.monitoring.alerts import describe, where
from onestop.monitoring.alerts_domain import AlertKind
from onestop.monitoring.models_alerts import Alert

LIMIT = 200


def alert_list(
    user: User | AnonymousUser, *, centre: str = "", open_only: bool = False, limit: int = LIMIT
) -> list[Alert]:
    alerts = alerts_access.visible_alerts(user).select_related(
        "centre", "department", "seen_by", "resolved_by"
    )
    if centre:
        alerts = alerts.filter(centre__code=centre.upper())
    if open_only:
        alerts = alerts.filter(resolved_at__isnull=True)
    ordered = alerts.annotate(
        closed=Case(
            When(resolved_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("closed", "-raised_at", "-pk")
    return list(ordered[:limit])


def alert_by_id(user: User | AnonymousUser, alert_id: int) -> Alert:
    alerts_access.check_may_list(user)
    alert = (
        Alert.objects.select_related("centre", "department", "seen_by", "resolved_by")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise NotFound(alerts_access.NOT_FOUND, code="alert_not_found")
    alerts_access.check_may_view(user, alert)
    return alert


def as_json(alert: Alert, user: User | AnonymousUser) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": str(AlertKind(alert.kind).label),
        "state": str(alert.state),
        "centre": alert.centre.code if alert.centre else None,
        "department": alert.department.code if alert.department else None,
        "where": where(alert),
        "text": describe(alert),
        "details": alert.details,
        "raised_at": alert.raised_at,
        "seen_at": alert.seen_at,
        "seen_by": alert.seen_by.username if alert.seen_by else None,
        "resolved_at": alert.resolved_at,
        "resolved_by": alert.resolved_by.username if alert.resolved_by else None,
        "auto_resolved": alert.auto_resolved,
        "may_act": alert.resolved_at is None and alerts_access.may_act(user, alert),
    }
