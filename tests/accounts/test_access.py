from __future__ import annotations

import pytest

from onestop.accounts import access
from onestop.accounts.domain import ROLE_SCOPE, Permission, Role, ScopeKind, scope_problem
from onestop.accounts.models import User
from onestop.accounts.services import RoleSpec, upsert_staff_user
from onestop.catalog.models import Department
from onestop.centres.models import Centre
from onestop.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_an_operator_serves_only_at_their_own_centre(demo: None) -> None:
    operator = User.objects.get(username="operator1")
    assert access.has_permission(
        operator, Permission.SERVE_TICKETS, centre=Centre.objects.get(code="AST-01")
    )
    assert not access.has_permission(
        operator, Permission.SERVE_TICKETS, centre=Centre.objects.get(code="ALA-01")
    )
    assert not access.has_permission(operator, Permission.VIEW_CENTRE)


def test_a_manager_configures_their_centre_and_not_another(demo: None) -> None:
    manager = User.objects.get(username="manager1")
    own, other = Centre.objects.get(code="AST-01"), Centre.objects.get(code="AST-02")
    assert access.has_permission(manager, Permission.CONFIGURE_CENTRE, centre=own)
    assert not access.has_permission(manager, Permission.CONFIGURE_CENTRE, centre=other)


def test_a_back_office_officer_decides_only_for_their_department(demo: None) -> None:
    officer = User.objects.get(username="officer_mj1")
    mj, md = Department.objects.get(code="MJ"), Department.objects.get(code="MD")
    assert access.has_permission(officer, Permission.DECIDE_CASES, department=mj)
    assert not access.has_permission(officer, Permission.DECIDE_CASES, department=md)
    assert not access.has_permission(officer, Permission.REASSIGN_CASES, department=mj)
    head = User.objects.get(username="head_mj1")
    assert access.has_permission(head, Permission.REASSIGN_CASES, department=mj)


def test_a_national_analyst_reads_every_centre_but_changes_nothing(demo: None) -> None:
    analyst = User.objects.get(username="analyst1")
    for centre in Centre.objects.all():
        assert access.has_permission(analyst, Permission.VIEW_MONITORING, centre=centre)
    assert access.permissions_of(analyst) == {Permission.VIEW_MONITORING}


def test_a_regional_analyst_sees_only_their_region(demo: None) -> None:
    user = upsert_staff_user(
        username="analyst_ast",
        password="x-long-password-1",
        first_name="A",
        last_name="B",
        roles=[RoleSpec(role=Role.REGIONAL_ANALYST, region="astana")],
    )
    assert access.has_permission(
        user, Permission.VIEW_MONITORING, centre=Centre.objects.get(code="AST-02")
    )
    assert not access.has_permission(
        user, Permission.VIEW_MONITORING, centre=Centre.objects.get(code="ALA-01")
    )


def test_an_inactive_or_anonymous_user_may_do_nothing(demo: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    admin = User.objects.get(username="admin")
    admin.is_active = False
    assert not access.has_permission(admin, Permission.ADMINISTER)
    assert not access.has_permission(AnonymousUser(), Permission.SERVE_TICKETS)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_accepts_exactly_its_own_scope(role: Role) -> None:
    kind = ROLE_SCOPE[role]
    right = {
        ScopeKind.CENTRE: {"has_centre": True, "has_department": False, "has_region": False},
        ScopeKind.DEPARTMENT: {"has_centre": False, "has_department": True, "has_region": False},
        ScopeKind.REGION: {"has_centre": False, "has_department": False, "has_region": True},
        ScopeKind.COUNTRY: {"has_centre": False, "has_department": False, "has_region": False},
    }
    for scope, flags in right.items():
        problem = scope_problem(role, **flags)
        assert (problem is None) == (scope is kind), (role, scope)


def test_a_department_role_may_be_narrowed_to_a_region() -> None:
    assert (
        scope_problem(
            Role.BACKOFFICE_OFFICER, has_centre=False, has_department=True, has_region=True
        )
        is None
    )


def test_an_operator_without_a_centre_is_refused_and_not_created(demo: None) -> None:
    with pytest.raises(InvalidInput):
        upsert_staff_user(
            username="nowhere",
            password="x-long-password-1",
            first_name="A",
            last_name="B",
            roles=[RoleSpec(role=Role.OPERATOR)],
        )
    assert not User.objects.filter(username="nowhere").exists()
