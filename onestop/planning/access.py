"""Who may plan a centre's staffing, and who may only look.

Plan (view, re-simulate, save plans and targets): the centre's own management — its
manager, deputy manager and supervisors — and administrators. Look (view and re-simulate,
never save): the analysts whose scope covers the centre (a regional analyst their region,
a national analyst every centre). Anyone who may plan or look at some centre may open the
reference centre's planner: it is nobody's data. Everyone else is refused."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from onestop.accounts.access import assignments_of, has_permission
from onestop.accounts.domain import Permission, Role
from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core.errors import PermissionDenied

PLANNER_ROLES = frozenset({Role.CENTRE_MANAGER, Role.DEPUTY_MANAGER, Role.SUPERVISOR})


def _is_administrator(user: User) -> bool:
    return user.is_superuser or any(a.role == Role.ADMINISTRATOR for a in assignments_of(user))


def _active(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


def may_plan(user: User | AnonymousUser, centre: Centre) -> bool:
    """May change the centre's plans and targets."""
    staff = _active(user)
    if staff is None:
        return False
    if _is_administrator(staff):
        return True
    return any(
        a.centre_id == centre.pk and Role(a.role) in PLANNER_ROLES for a in assignments_of(staff)
    )


def may_view(user: User | AnonymousUser, centre: Centre) -> bool:
    """May open the centre's planner (read-only unless `may_plan`)."""
    return may_plan(user, centre) or has_permission(user, Permission.VIEW_MONITORING, centre=centre)


def may_use_planner(user: User | AnonymousUser) -> bool:
    """May plan or look at some centre: opens the planner and the reference scenario."""
    staff = _active(user)
    if staff is None:
        return False
    if _is_administrator(staff) or has_permission(staff, Permission.VIEW_MONITORING):
        return True
    return any(
        a.centre_id is not None and Role(a.role) in PLANNER_ROLES for a in assignments_of(staff)
    )


def _refused() -> PermissionDenied:
    return PermissionDenied(
        _("The staffing planner is for a centre's management and for analysts."),
        code="not_a_planner",
    )


def check_may_use_planner(user: User | AnonymousUser) -> None:
    if not may_use_planner(user):
        raise _refused()


def check_may_view(user: User | AnonymousUser, centre: Centre) -> None:
    if not may_use_planner(user):
        raise _refused()
    if not may_view(user, centre):
        raise PermissionDenied(
            _(
                "Only the management of centre %(centre)s and analysts of its region may open "
                "its planner."
            ),
            code="not_your_centre",
            centre=centre.code,
        )


def check_may_plan(user: User | AnonymousUser, centre: Centre) -> None:
    check_may_view(user, centre)
    if not may_plan(user, centre):
        raise PermissionDenied(
            _("You may look at this centre's plan but not change it."), code="read_only"
        )


def centres_in_scope(user: User | AnonymousUser) -> list[Centre]:
    """The active centres whose planner the user may open, by code."""
    staff = _active(user)
    if staff is None:
        return []
    return [centre for centre in centres.active_centres() if may_view(staff, centre)]
