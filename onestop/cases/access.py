"""Who may see and act on an application: the one place that decides."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from onestop.accounts import access
from onestop.accounts.domain import Permission
from onestop.accounts.models import User
from onestop.cases import domain
from onestop.cases.domain import CaseAction, CaseStatus
from onestop.cases.models import Application
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotFound, PermissionDenied


def may_view(user: User, case: Application) -> bool:
    """The centre that took it, the back office that holds it (within its region), and
    analysts and call-centre agents of a scope that covers it."""
    if access.has_permission(user, Permission.SERVE_TICKETS, centre=case.centre) or (
        access.has_permission(user, Permission.VIEW_CENTRE, centre=case.centre)
    ):
        return True
    for permission in (
        Permission.DECIDE_CASES,
        Permission.REASSIGN_CASES,
        Permission.VIEW_DEPARTMENT,
    ):
        if access.has_permission(
            user, permission, department=case.department, region=case.centre.region
        ):
            return True
    return access.has_permission(
        user, Permission.VIEW_MONITORING, region=case.centre.region
    ) or access.has_permission(user, Permission.LOOK_UP_FOR_CALLER)


def check_may_view(user: User, case: Application) -> None:
    # Out of scope looks exactly like not there: numbers are not to be probed.
    if not may_view(user, case):
        raise NotFound(_("There is no such application."), code="application_not_found")


def check_may_register(user: User, centre: Centre) -> None:
    if not access.has_permission(user, Permission.SERVE_TICKETS, centre=centre):
        raise PermissionDenied(
            _("Only an operator of this centre registers applications here."),
            code="not_your_centre",
        )


def check_may_decide(user: User, case: Application) -> None:
    if not access.has_permission(
        user, Permission.DECIDE_CASES, department=case.department, region=case.centre.region
    ):
        raise PermissionDenied(
            _("Only an officer of the department's back office decides."), code="not_an_officer"
        )


def check_may_reassign(user: User, case: Application) -> None:
    if not access.has_permission(
        user, Permission.REASSIGN_CASES, department=case.department, region=case.centre.region
    ):
        raise PermissionDenied(
            _("Only the department's head reassigns applications."), code="not_department_head"
        )


def check_may_serve(user: User, case: Application) -> None:
    """Issuing a result, taking resubmitted documents: the centre's operators."""
    if not access.has_permission(user, Permission.SERVE_TICKETS, centre=case.centre):
        raise PermissionDenied(
            _("Only an operator of the centre that holds the result can do this."),
            code="not_your_centre",
        )


STATUS_LOOKUPS_PER_MINUTE = 10


class TooManyLookups(InvalidInput):
    status = 429

    def __init__(self) -> None:
        super().__init__(
            _("Too many look-ups from here: try again in a minute."), code="too_many_lookups"
        )


def check_lookup_rate(client_address: str) -> None:
    """At most STATUS_LOOKUPS_PER_MINUTE status look-ups a minute from one address, so that
    application numbers cannot be walked through. Counted in the cache (per process unless
    a shared cache is configured)."""
    minute = int(clock.now().timestamp()) // 60
    key = f"status-lookup:{client_address}:{minute}"
    cache.add(key, 0, timeout=90)
    if cache.incr(key) > STATUS_LOOKUPS_PER_MINUTE:
        raise TooManyLookups()


# --- The back-office workspace ---------------------------------------------------------


def workspace_roles(user: User) -> tuple[bool, bool]:
    """Whether the user decides cases, and whether they reassign them, anywhere at all."""
    return (
        access.has_permission(user, Permission.DECIDE_CASES),
        access.has_permission(user, Permission.REASSIGN_CASES),
    )


def check_may_use_workspace(user: User) -> None:
    if not any(workspace_roles(user)):
        raise PermissionDenied(
            _("The back-office workspace is for officers and heads of a department."),
            code="not_back_office",
        )


@dataclass(frozen=True)
class Allowed:
    """Which forms the case page offers this user; the services decide again on submit."""

    approve: bool = False
    refuse: bool = False
    give_back: bool = False  # return for documents
    forward: bool = False
    recheck: bool = False
    reassign: bool = False

    @property
    def any_decision(self) -> bool:
        return self.approve or self.refuse or self.give_back or self.forward


def _can(case: Application, action: CaseAction) -> bool:
    status = CaseStatus(case.status)
    return status in domain.OPEN_IN_BACK_OFFICE and domain.next_status(status, action) is not None


def allowed(user: User, case: Application, *, has_grounds: bool) -> Allowed:
    region = case.centre.region
    holder = case.assigned_to_id == user.pk and access.has_permission(
        user, Permission.DECIDE_CASES, department=case.department, region=region
    )
    head = access.has_permission(
        user, Permission.REASSIGN_CASES, department=case.department, region=region
    )
    return Allowed(
        approve=holder and _can(case, CaseAction.APPROVE),
        refuse=holder and has_grounds and _can(case, CaseAction.REFUSE),
        give_back=holder and _can(case, CaseAction.RETURN),
        forward=holder and _can(case, CaseAction.FORWARD),
        recheck=holder and case.recheck_pending,
        reassign=head and (case.status in domain.OPEN_IN_BACK_OFFICE or case.recheck_pending),
    )
