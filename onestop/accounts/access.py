"""The one place that decides what a staff member may see or do, and where."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.selectors import assignments_with_window_numbers

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onestop.accounts.models import RoleAssignment, User
    from onestop.catalog.models import Department
    from onestop.centres.models import Centre, Region


def _covers(
    assignment: RoleAssignment,
    centre: Centre | None,
    department: Department | None,
    region: Region | None,
) -> bool:
    if assignment.centre_id is not None:
        return centre is not None and centre.pk == assignment.centre_id
    if assignment.department_id is not None:
        if department is None or department.pk != assignment.department_id:
            return False
        target_region = region or (centre.region if centre is not None else None)
        return assignment.region_id is None or (
            target_region is not None and target_region.pk == assignment.region_id
        )
    if assignment.region_id is not None:
        target_region = region or (centre.region if centre is not None else None)
        return target_region is not None and target_region.pk == assignment.region_id
    return True  # country scope


def assignments_of(user: User) -> list[RoleAssignment]:
    """The user's role assignments with their windows, read once per user object (one per
    request): a request asks several times, and the queue's hot paths ask on every call."""
    cached: list[RoleAssignment] | None = getattr(user, "_onestop_assignments", None)
    if cached is None:
        cached = assignments_with_window_numbers(user.pk)
        user._onestop_assignments = cached  # type: ignore[attr-defined]
    return cached


def has_permission(
    user: User | AnonymousUser,
    permission: Permission,
    *,
    centre: Centre | None = None,
    department: Department | None = None,
    region: Region | None = None,
) -> bool:
    """Whether `user` holds `permission` over the given target (any scope when none is given)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    any_target = centre is None and department is None and region is None
    for assignment in assignments_of(user):
        if permission not in ROLE_PERMISSIONS[Role(assignment.role)]:
            continue
        if any_target or _covers(assignment, centre, department, region):
            return True
    return False


def permissions_of(user: User | AnonymousUser) -> set[Permission]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Permission)
    found: set[Permission] = set()
    for assignment in assignments_of(user):
        found |= ROLE_PERMISSIONS[Role(assignment.role)]
    return found


def can_use_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)
