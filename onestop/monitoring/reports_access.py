"""Who may have which reports: analysts and administrators within their monitoring scope
(the country, or a regional analyst's region and its centres); a centre's own management
(VIEW_CENTRE there) that centre's reports only; everyone else none."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts.access import assignments_of, has_permission
from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.centres.models import Centre, Region
from onestop.core.errors import PermissionDenied
from onestop.monitoring import access
from onestop.monitoring.reports import Scope


def _denied() -> PermissionDenied:
    return PermissionDenied(
        _("Reports are for analysts, administrators and centre management."),
        code="not_a_report_reader",
    )


def _out_of_scope() -> PermissionDenied:
    return PermissionDenied(_("This is outside your scope."), code="out_of_scope")


def managed_centres(user: User | AnonymousUser) -> QuerySet[Centre]:
    """The centres where the user holds VIEW_CENTRE through a centre-bound assignment."""
    if not isinstance(user, User) or not user.is_active:
        return Centre.objects.none()
    ids = {
        a.centre_id
        for a in assignments_of(user)
        if a.centre_id is not None and Permission.VIEW_CENTRE in ROLE_PERMISSIONS[Role(a.role)]
    }
    return Centre.objects.filter(pk__in=ids).select_related("region").order_by("code")


def may_report_on_centre(user: User | AnonymousUser, centre: Centre) -> bool:
    return has_permission(user, Permission.VIEW_MONITORING, region=centre.region) or has_permission(
        user, Permission.VIEW_CENTRE, centre=centre
    )


def report_scope(
    user: User | AnonymousUser, *, region_code: str = "", centre_code: str = ""
) -> Scope:
    """The scope of the report asked for, if the user may have it; by default the widest
    the user holds (the country, their region, or the centre they manage)."""
    analyst = has_permission(user, Permission.VIEW_MONITORING)
    managed = managed_centres(user)
    if not analyst and not managed.exists():
        raise _denied()
    if centre_code:
        centre = centres.centre_by_code(centre_code)  # NotFound for an unknown code
        if not may_report_on_centre(user, centre):
            raise _out_of_scope()
        return Scope(centre=centre)
    if not analyst:
        if region_code:
            raise _out_of_scope()
        first = managed.first()
        assert first is not None
        return Scope(centre=first)
    return Scope(region=access.overview_region(user, region_code=region_code))


def check_may_report_on_centre(user: User | AnonymousUser, centre: Centre) -> None:
    if not has_permission(user, Permission.VIEW_MONITORING) and not managed_centres(user).exists():
        raise _denied()
    if not may_report_on_centre(user, centre):
        raise _out_of_scope()


def choices(user: User | AnonymousUser) -> tuple[bool, list[Region], list[Centre]]:
    """What the report form offers the user: the whole country (or not), regions, centres."""
    if has_permission(user, Permission.VIEW_MONITORING):
        if access.sees_country(user):
            regions = list(Region.objects.order_by("code"))
            return True, regions, list(centres.active_centres().order_by("code"))
        home = access.home_region(user)
        if home is not None:
            in_region = centres.active_centres().filter(region=home).order_by("code")
            return False, [home], list(in_region)
    return False, [], list(managed_centres(user))
