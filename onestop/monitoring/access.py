"""Who sees which part of the Situational Centre: national analysts and administrators the
country, a regional analyst their region only; everyone else nothing."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from onestop.accounts.access import assignments_of, has_permission
from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.models import User
from onestop.centres.models import Centre, Region
from onestop.core.errors import InvalidInput, NotFound, PermissionDenied


def _denied() -> PermissionDenied:
    return PermissionDenied(
        _("Monitoring is for analysts and administrators."), code="not_an_analyst"
    )


def sees_country(user: User | AnonymousUser) -> bool:
    """Holds monitoring over the whole country (not bound to one region)."""
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


def home_region(user: User | AnonymousUser) -> Region | None:
    """The region of a regional analyst's assignment, if they hold one."""
    if not isinstance(user, User):
        return None
    for assignment in assignments_of(user):
        if assignment.role == "regional_analyst" and assignment.region_id is not None:
            return Region.objects.get(pk=assignment.region_id)
    return None


def overview_region(
    user: User | AnonymousUser, *, scope: str = "", region_code: str = ""
) -> Region | None:
    """The region the user may look at (None: the whole country), for the scope asked."""
    if not has_permission(user, Permission.VIEW_MONITORING):
        raise _denied()
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise NotFound(_("No such region."), code="region_not_found")
        if not has_permission(user, Permission.VIEW_MONITORING, region=region):
            raise PermissionDenied(_("This region is outside your scope."), code="out_of_scope")
        return region
    if sees_country(user):
        if scope == "region":
            raise InvalidInput(_("Name the region to look at."), code="region_required")
        return None
    region = home_region(user)
    if region is None:
        raise _denied()
    return region


def check_may_view_centre(user: User | AnonymousUser, centre: Centre) -> None:
    if not has_permission(user, Permission.VIEW_MONITORING):
        raise _denied()
    if not has_permission(user, Permission.VIEW_MONITORING, region=centre.region):
        raise NotFound(_("No such centre."), code="centre_not_found")
