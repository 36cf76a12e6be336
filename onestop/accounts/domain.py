"""Roles, their scopes and their permissions (DESIGN §2). Pure data and rules, no ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Front-line operator")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPUTY_MANAGER = "deputy_manager", _("Deputy centre manager")
    CENTRE_MANAGER = "centre_manager", _("Centre manager")
    BACKOFFICE_OFFICER = "backoffice_officer", _("Back-office officer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    REGIONAL_ANALYST = "regional_analyst", _("Regional analyst")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    QUALITY_REVIEWER = "quality_reviewer", _("Quality reviewer")
    CALLCENTRE_AGENT = "callcentre_agent", _("Call-centre agent")
    ADMINISTRATOR = "administrator", _("Administrator")


class ScopeKind(models.TextChoices):
    CENTRE = "centre", _("Centre")
    DEPARTMENT = "department", _("Department")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")


class Permission(models.TextChoices):
    SERVE_TICKETS = "serve_tickets", _("Serve citizens at a window")
    VIEW_CENTRE = "view_centre", _("Watch the centre's dashboard")
    CONFIGURE_CENTRE = "configure_centre", _("Configure windows, hours and staffing")
    HANDLE_COMPLAINTS = "handle_complaints", _("Handle complaints")
    DECIDE_CASES = "decide_cases", _("Decide applications in the back office")
    REASSIGN_CASES = "reassign_cases", _("Reassign applications")
    VIEW_DEPARTMENT = "view_department", _("Watch the department's dashboard")
    VIEW_MONITORING = "view_monitoring", _("Read monitoring dashboards and reports")
    REVIEW_QUALITY = "review_quality", _("Review escalated complaints")
    LOOK_UP_FOR_CALLER = "look_up_for_caller", _("Look up status and book for a caller")
    ADMINISTER = "administer", _("Administer reference data and accounts")


# Which scope each role must carry. A department role may also be narrowed to a region.
ROLE_SCOPE: dict[Role, ScopeKind] = {
    Role.OPERATOR: ScopeKind.CENTRE,
    Role.SUPERVISOR: ScopeKind.CENTRE,
    Role.DEPUTY_MANAGER: ScopeKind.CENTRE,
    Role.CENTRE_MANAGER: ScopeKind.CENTRE,
    Role.BACKOFFICE_OFFICER: ScopeKind.DEPARTMENT,
    Role.DEPARTMENT_HEAD: ScopeKind.DEPARTMENT,
    Role.REGIONAL_ANALYST: ScopeKind.REGION,
    Role.NATIONAL_ANALYST: ScopeKind.COUNTRY,
    Role.QUALITY_REVIEWER: ScopeKind.COUNTRY,
    Role.CALLCENTRE_AGENT: ScopeKind.COUNTRY,
    Role.ADMINISTRATOR: ScopeKind.COUNTRY,
}

P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset({P.SERVE_TICKETS}),
    Role.SUPERVISOR: frozenset({P.VIEW_CENTRE, P.HANDLE_COMPLAINTS}),
    Role.DEPUTY_MANAGER: frozenset({P.VIEW_CENTRE, P.CONFIGURE_CENTRE, P.HANDLE_COMPLAINTS}),
    Role.CENTRE_MANAGER: frozenset({P.VIEW_CENTRE, P.CONFIGURE_CENTRE, P.HANDLE_COMPLAINTS}),
    Role.BACKOFFICE_OFFICER: frozenset({P.DECIDE_CASES}),
    Role.DEPARTMENT_HEAD: frozenset({P.REASSIGN_CASES, P.VIEW_DEPARTMENT, P.HANDLE_COMPLAINTS}),
    Role.REGIONAL_ANALYST: frozenset({P.VIEW_MONITORING}),
    Role.NATIONAL_ANALYST: frozenset({P.VIEW_MONITORING}),
    Role.QUALITY_REVIEWER: frozenset({P.REVIEW_QUALITY}),
    Role.CALLCENTRE_AGENT: frozenset({P.LOOK_UP_FOR_CALLER}),
    Role.ADMINISTRATOR: frozenset(Permission),
}


def scope_problem(
    role: Role, *, has_centre: bool, has_department: bool, has_region: bool
) -> str | None:
    """Why a role assignment's scope is wrong for its role, or None when it is right."""
    kind = ROLE_SCOPE[role]
    if kind is ScopeKind.CENTRE and (not has_centre or has_department or has_region):
        return str(_("This role is assigned to exactly one centre."))
    if kind is ScopeKind.DEPARTMENT and (not has_department or has_centre):
        return str(_("This role is assigned to one department (optionally within one region)."))
    if kind is ScopeKind.REGION and (not has_region or has_centre or has_department):
        return str(_("This role is assigned to exactly one region."))
    if kind is ScopeKind.COUNTRY and (has_centre or has_department or has_region):
        return str(
            _("This role covers the whole country and takes no centre, department or region.")
        )
    return None
