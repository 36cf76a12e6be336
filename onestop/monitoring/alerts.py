"""Alerts of the Situational Centre: `check_alerts()` (cron, every minute, idempotent) raises
an alert when a condition starts to hold and resolves it by itself when it clears; the
responsible manager marks an alert seen and resolves it. Each new alert is published on the
centre's stream (the live dashboards show it) and e-mailed to the responsible managers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit import services as audit
from onestop.cases import domain as cases_domain
from onestop.cases.models import Application
from onestop.catalog.models import Department
from onestop.centres.models import Centre
from onestop.centres.selectors import active_centres
from onestop.core import clock
from onestop.core.errors import Conflict
from onestop.core.selectors import working_calendar
from onestop.events import services as events
from onestop.monitoring import alerts_access, live_selectors
from onestop.monitoring import alerts_domain as rules
from onestop.monitoring.alerts_domain import AlertAction, AlertKind, AlertState, Thresholds
from onestop.monitoring.models import RatingDay
from onestop.monitoring.models_alerts import Alert, AlertThreshold
from onestop.notify import services as notify

CRITERIA = ("waiting", "speed", "politeness", "comfort", "information")


def default_language() -> str:
    """The language of a manager's e-mail when their account names none."""
    return str(settings.ALERTS_DEFAULT_LANGUAGE)


# --- Thresholds --------------------------------------------------------------------------


class ThresholdBook:
    """Every threshold row, read once per check: the country's per kind, a centre's override."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int | None], AlertThreshold] = {
            (row.kind, row.centre_id): row for row in AlertThreshold.objects.all()
        }

    def _values(self, row: AlertThreshold | None, kind: AlertKind) -> dict[str, Any]:
        if row is None:
            return {}
        values: dict[str, Any] = {name: getattr(row, name) for name in rules.KIND_FIELDS[kind]}
        if values.get("satisfaction_drop") is not None:
            values["satisfaction_drop"] = float(values["satisfaction_drop"])
        return values

    def for_(self, kind: AlertKind, centre: Centre | None = None) -> Thresholds | None:
        """The thresholds of `kind` at `centre`, or None when the kind is switched off there."""
        country = self.rows.get((kind, None))
        local = self.rows.get((kind, centre.pk)) if centre is not None else None
        deciding = local or country
        if deciding is not None and not deciding.enabled:
            return None
        return (
            Thresholds()
            .with_values(self._values(country, kind))
            .with_values(self._values(local, kind))
        )


# --- The figures behind each kind ---------------------------------------------------------


def _centre_conditions(
    centre: Centre, now: datetime, book: ThresholdBook
) -> dict[AlertKind, dict[str, Any] | None]:
    """Each centre kind that is switched on at `centre`: its details when it holds, else None."""
    found: dict[AlertKind, dict[str, Any] | None] = {}
    live = live_selectors.centre_live(centre, now)
    t = book.for_(AlertKind.WAIT_OVER_TARGET, centre)
    if t is not None:
        groups = [
            rules.GroupFigures(g.letter, g.over_target, g.longest_wait_minutes, g.target_minutes)
            for g in live.groups
        ]
        found[AlertKind.WAIT_OVER_TARGET] = rules.wait_over_target(groups, t)
    t = book.for_(AlertKind.QUEUE_WITH_IDLE_WINDOWS, centre)
    if t is not None:
        waiting = sum(g.waiting for g in live.groups)
        found[AlertKind.QUEUE_WITH_IDLE_WINDOWS] = rules.queue_with_idle_windows(
            waiting=waiting, idle=live.windows.idle, paused=live.windows.paused, t=t
        )
    t = book.for_(AlertKind.SATISFACTION_DROP, centre)
    if t is not None:
        today = clock.local_date(now)
        week_start = today - timedelta(days=6)
        found[AlertKind.SATISFACTION_DROP] = rules.satisfaction_drop(
            this_week=_rating_sums(centre, week_start, today),
            before=_rating_sums(
                centre,
                week_start - timedelta(days=7 * max(t.satisfaction_weeks, 1)),
                week_start - timedelta(days=1),
            ),
            t=t,
        )
    return found


def _rating_sums(centre: Centre, first: Any, last: Any) -> rules.RatingSums:
    sums = RatingDay.objects.filter(centre=centre, day__gte=first, day__lte=last).aggregate(
        ratings=Sum("ratings"), **{name: Sum(name) for name in CRITERIA}
    )
    return rules.RatingSums(
        ratings=sums["ratings"] or 0, points=sum(sums[name] or 0 for name in CRITERIA)
    )


def _deadline_conditions(now: datetime, book: ThresholdBook) -> dict[int, dict[str, Any] | None]:
    """Per department: details when enough open applications are close to their deadline."""
    t = book.for_(AlertKind.DEADLINES_AT_RISK)
    if t is None:
        return {}
    calendar = working_calendar()
    at_risk: dict[int, int] = {pk: 0 for pk in Department.objects.values_list("pk", flat=True)}
    # Working days can span a long holiday: look well ahead, decide exactly below.
    horizon = now + timedelta(days=14 + 2 * t.deadline_working_days)
    open_cases = Application.objects.filter(
        status__in=cases_domain.CLOCK_RUNNING, deadline_at__gte=now, deadline_at__lte=horizon
    ).values_list("department_id", "deadline_at")
    for department_id, deadline_at in open_cases:
        left = cases_domain.working_days_left(calendar, deadline_at, now)
        if 0 <= left <= t.deadline_working_days:
            at_risk[department_id] = at_risk.get(department_id, 0) + 1
    return {pk: rules.deadlines_at_risk(count, t) for pk, count in at_risk.items()}


# --- The check ------------------------------------------------------------------------------


@dataclass
class CheckReport:
    raised: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)


def check_alerts(now: datetime | None = None) -> CheckReport:
    """Evaluate every centre and department at `now`: raise what newly holds (once: one open
    alert per kind and centre or department), resolve what cleared, and tell the responsible
    managers of each new alert."""
    now = now or clock.now()
    book = ThresholdBook()
    report = CheckReport()
    open_alerts = {(a.kind, a.centre_id, a.department_id): a for a in _open()}
    for centre in active_centres():
        for kind, details in _centre_conditions(centre, now, book).items():
            _settle(report, open_alerts.get((kind, centre.pk, None)), kind, details, centre=centre)
    departments = {d.pk: d for d in Department.objects.all()}
    for department_id, details in _deadline_conditions(now, book).items():
        kind = AlertKind.DEADLINES_AT_RISK
        current = open_alerts.get((kind, None, department_id))
        _settle(report, current, kind, details, department=departments[department_id])
    for alert in report.raised:
        _tell_managers(alert)
    return report


def _open() -> Iterable[Alert]:
    return Alert.objects.filter(resolved_at__isnull=True)


def _settle(
    report: CheckReport,
    current: Alert | None,
    kind: AlertKind,
    details: dict[str, Any] | None,
    *,
    centre: Centre | None = None,
    department: Department | None = None,
) -> None:
    if details is not None and current is None:
        raised = _raise(kind, details, centre=centre, department=department)
        if raised is not None:
            report.raised.append(raised)
    elif details is None and current is not None and _move(current, AlertAction.CLEAR, actor=None):
        report.resolved.append(current)


def _raise(
    kind: AlertKind,
    details: dict[str, Any],
    *,
    centre: Centre | None,
    department: Department | None,
) -> Alert | None:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=kind,
                centre=centre,
                department=department,
                raised_at=clock.now(),
                details=details,
            )
            audit.record(actor=None, action="monitoring.alert.raised", target=alert, data=details)
            _publish(alert, "raised")
    except IntegrityError:
        return None  # raised a moment ago by a check running elsewhere
    return alert


def _publish(alert: Alert, what: str) -> None:
    events.publish(
        topic=f"monitoring.alert.{what}",
        payload={
            "id": alert.pk,
            "kind": alert.kind,
            "centre": alert.centre.code if alert.centre else None,
            "department": alert.department.code if alert.department else None,
        },
        centre_code=alert.centre.code if alert.centre else "",
    )


def _move(alert: Alert, action: AlertAction, *, actor: User | None) -> bool:
    """Apply `action` by a conditional UPDATE; False when the alert already moved on."""
    target = rules.next_state(alert.state, action)
    if target is None:
        return False
    now = clock.now()
    changes: dict[str, Any]
    if target is AlertState.SEEN:
        changes = {"seen_at": now, "seen_by": actor}
        still = {"seen_at__isnull": True, "resolved_at__isnull": True}
    else:
        changes = {"resolved_at": now, "resolved_by": actor, "auto_resolved": actor is None}
        still = {"resolved_at__isnull": True}
    with transaction.atomic():
        if not Alert.objects.filter(pk=alert.pk, **still).update(**changes):
            return False
        for name, value in changes.items():
            setattr(alert, name, value)
        audit.record(actor=actor, action=f"monitoring.alert.{action}", target=alert)
        _publish(alert, "seen" if target is AlertState.SEEN else "resolved")
    return True


def mark_seen(*, alert: Alert, user: User) -> Alert:
    """The responsible manager has seen the alert."""
    alerts_access.check_may_act(user, alert)
    if not _move(alert, AlertAction.SEE, actor=user):
        raise Conflict(_("This alert was already seen or resolved."), code="alert_not_open")
    return alert


def resolve(*, alert: Alert, user: User) -> Alert:
    """The responsible manager closes the alert."""
    alerts_access.check_may_act(user, alert)
    if not _move(alert, AlertAction.RESOLVE, actor=user):
        raise Conflict(_("This alert is already resolved."), code="alert_resolved")
    return alert


# --- Words and recipients ---------------------------------------------------------------------


def describe(alert: Alert) -> str:
    """The alert in words, in the active language; figures only, no personal data."""
    d = alert.details or {}
    kind = AlertKind(alert.kind)
    if kind is AlertKind.WAIT_OVER_TARGET:
        parts = [
            _(
                "group %(letter)s: %(over)s waiting past the %(target)s-minute target, "
                "longest wait %(longest)s min"
            )
            % {
                "letter": g["letter"],
                "over": g["over_target"],
                "target": g["target_minutes"],
                "longest": g["longest_wait_minutes"],
            }
            for g in d.get("groups", [])
        ]
        return _("Wait above target") + ": " + "; ".join(parts)
    if kind is AlertKind.QUEUE_WITH_IDLE_WINDOWS:
        return _(
            "%(waiting)s people waiting while %(idle)s windows stand idle and %(paused)s are paused"
        ) % {"waiting": d.get("waiting"), "idle": d.get("idle"), "paused": d.get("paused")}
    if kind is AlertKind.DEADLINES_AT_RISK:
        return _(
            "%(count)s open applications have %(days)s working days or fewer left before "
            "their deadline"
        ) % {"count": d.get("applications"), "days": d.get("working_days")}
    return _(
        "Average satisfaction this week %(now)s (from %(ratings)s ratings), before %(then)s"
    ) % {"now": d.get("average"), "ratings": d.get("ratings"), "then": d.get("previous_average")}


def where(alert: Alert) -> str:
    if alert.centre is not None:
        return f"{alert.centre.code} — {alert.centre.name}"
    return alert.department.name if alert.department is not None else ""


def responsible(alert: Alert) -> list[User]:
    """Centre managers of the alert's centre; heads of the alert's department."""
    if alert.centre_id is not None:
        scope = {"role": Role.CENTRE_MANAGER, "centre_id": alert.centre_id}
    else:
        scope = {"role": Role.DEPARTMENT_HEAD, "department_id": alert.department_id}
    users = {
        a.user.pk: a.user
        for a in RoleAssignment.objects.filter(user__is_active=True, **scope).select_related("user")
    }
    return sorted(users.values(), key=lambda user: user.pk)


def _tell_managers(alert: Alert) -> None:
    """E-mail each responsible manager in their language (the staff account has no phone)."""
    for user in responsible(alert):
        if not user.email:
            continue
        with translation.override(user.preferred_language or default_language()):
            notify.send_email(
                to=user.email,
                subject=_("OneStop alert: %(kind)s, %(where)s")
                % {"kind": AlertKind(alert.kind).label, "where": where(alert)},
                text=_("%(text)s\n\nRaised at %(at)s (Almaty time). Open the alerts: %(url)s")
                % {
                    "text": describe(alert),
                    "at": alert.raised_at.astimezone(clock.ALMATY).strftime("%Y-%m-%d %H:%M"),
                    "url": settings.PUBLIC_BASE_URL.rstrip("/") + "/monitoring/alerts/",
                },
            )
