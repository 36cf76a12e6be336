"""Who may see and act on alerts: the one place that decides.

See: the centre's management (VIEW_CENTRE there) for its centre's alerts, a department's head
(VIEW_DEPARTMENT) for its department's alerts, analysts (VIEW_MONITORING) within their scope.
Act (mark seen, resolve): the centre's management, or the department's head; analysts may
only look."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts.access import assignments_of, has_permission
from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.models import User
from onestop.core.errors import NotFound, PermissionDenied
from onestop.monitoring.models_alerts import Alert

NOT_FOUND = _("There is no such alert.")


def may_view(user: User | AnonymousUser, alert: Alert) -> bool:
    if alert.centre is not None:
        return has_permission(user, Permission.VIEW_CENTRE, centre=alert.centre) or (
            has_permission(user, Permission.VIEW_MONITORING, centre=alert.centre)
        )
    if alert.department is not None:
        return has_permission(
            user, Permission.VIEW_DEPARTMENT, department=alert.department
        ) or _sees_country(user)
    return False


def may_act(user: User | AnonymousUser, alert: Alert) -> bool:
    if alert.centre is not None:
        return has_permission(user, Permission.VIEW_CENTRE, centre=alert.centre)
    if alert.department is not None:
        return has_permission(user, Permission.VIEW_DEPARTMENT, department=alert.department)
    return False


def check_may_view(user: User | AnonymousUser, alert: Alert) -> None:
    # Out of scope looks exactly like not there.
    if not may_view(user, alert):
        raise NotFound(NOT_FOUND, code="alert_not_found")


def check_may_act(user: User | AnonymousUser, alert: Alert) -> None:
    check_may_view(user, alert)
    if not may_act(user, alert):
        raise PermissionDenied(
            _("Only the centre's management or the department's head acts on this alert."),
            code="not_responsible",
        )


def _sees_country(user: User | AnonymousUser) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        a.centre_id is None
        and a.department_id is None
        and a.region_id is None
        and Permission.VIEW_MONITORING in ROLE_PERMISSIONS[Role(a.role)]
        for a in assignments_of(user)
    )


def check_may_list(user: User | AnonymousUser) -> None:
    if not any(
        has_permission(user, permission)
        for permission in (
            Permission.VIEW_CENTRE,
            Permission.VIEW_DEPARTMENT,
            Permission.VIEW_MONITORING,
        )
    ):
        raise PermissionDenied(
            _("Alerts are for centre management, department heads and analysts."),
            code="no_alerts_for_you",
        )


def visible_alerts(user: User | AnonymousUser) -> QuerySet[Alert]:
    """The alerts `user` may see, as a filter over all alerts."""
    check_may_list(user)
    alerts = Alert.objects.all()
    if _sees_country(user):
        return alerts
    assert isinstance(user, User)
    scope = Q(pk__in=[])
    for a in assignments_of(user):
        granted = ROLE_PERMISSIONS[Role(a.role)]
        if a.centre_id is not None and Permission.VIEW_CENTRE in granted:
            scope |= Q(centre_id=a.centre_id)
        if a.department_id is not None and Permission.VIEW_DEPARTMENT in granted:
            scope |= Q(department_id=a.department_id)
        if a.region_id is not None and Permission.VIEW_MONITORING in granted:
            scope |= Q(centre__region_id=a.region_id)
    return alerts.filter(scope)
