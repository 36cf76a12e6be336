"""Alerts over the API: the list within the reader's scope, and the responsible manager's
"seen" and "resolved"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from onestop.accounts.models import User
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import PermissionDenied
from onestop.monitoring import alerts, alerts_selectors
from onestop.queue.api import AUTH

router = Router()


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    centre: str | None
    department: str | None
    where: str
    text: str
    details: dict[str, Any]
    raised_at: datetime
    seen_at: datetime | None
    seen_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    auto_resolved: bool
    may_act: bool


class AlertsOut(Schema):
    alerts: list[AlertOut]


def _staff(request: HttpRequest) -> User:
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, User):
        raise PermissionDenied(_("Sign in as a member of staff."), code="staff_only")
    return principal


@router.get(
    "/alerts",
    auth=AUTH,
    response={200: AlertsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Alerts within the reader's scope, open first (centre management, department "
    "heads, analysts)",
)
def alert_list(request: HttpRequest, centre: str = "", open: int = 0) -> dict[str, Any]:
    user = _staff(request)
    rows = alerts_selectors.alert_list(user, centre=centre, open_only=bool(open))
    return {"alerts": [alerts_selectors.as_json(alert, user) for alert in rows]}


ACT_RESPONSES = {200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post("/alerts/{alert_id}/seen", auth=AUTH, response=ACT_RESPONSES)
def alert_seen(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    user = _staff(request)
    alert = alerts.mark_seen(alert=alerts_selectors.alert_by_id(user, alert_id), user=user)
    return alerts_selectors.as_json(alert, user)


@router.post("/alerts/{alert_id}/resolve", auth=AUTH, response=ACT_RESPONSES)
def alert_resolve(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    user = _staff(request)
    alert = alerts.resolve(alert=alerts_selectors.alert_by_id(user, alert_id), user=user)
    return alerts_selectors.as_json(alert, user)
