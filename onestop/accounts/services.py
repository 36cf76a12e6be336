from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts.domain import Role, scope_problem
from onestop.accounts.models import ApiToken, RoleAssignment, User
from onestop.audit import services as audit
from onestop.catalog.models import Department
from onestop.centres.models import Centre, Region, Window
from onestop.core import clock
from onestop.core.errors import InvalidInput, NotAuthenticated
from onestop.core.tokens import hash_token, new_token
from onestop.events import services as events


def issue_api_token(*, username: str, password: str, label: str = "") -> tuple[str, ApiToken]:
    """Exchange a staff login for a bearer token. The raw token is returned once, never stored."""
    user = authenticate(username=username, password=password)
    if user is None or not isinstance(user, User):
        raise NotAuthenticated(_("Wrong username or password."), code="bad_credentials")
    raw = new_token()
    now = clock.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=hash_token(raw),
            label=label[:100],
            created_at=now,
            expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit.record(actor=user, action="accounts.api_token_issued", target=token)
        events.publish(topic="accounts.api_token_issued", payload={"user": user.username})
    return raw, token


def revoke_api_token(*, token: ApiToken, actor: User) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        if updated:
            audit.record(actor=actor, action="accounts.api_token_revoked", target=token)
            events.publish(topic="accounts.api_token_revoked", payload={"user": actor.username})


@dataclass(frozen=True)
class RoleSpec:
    role: Role
    centre: str | None = None
    department: str | None = None
    region: str | None = None
    windows: tuple[int, ...] = ()


def upsert_staff_user(
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    roles: list[RoleSpec],
    superuser: bool = False,
    actor: User | None = None,
) -> User:
    """Create or update a staff member with exactly the given roles (by natural keys)."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.is_superuser = user.is_staff = superuser
        user.is_active = True
        user.set_password(password)
        user.save()
        user.assignments.all().delete()
        for spec in roles:
            _assign(user, spec)
        audit.record(
            actor=actor,
            action="accounts.staff_upserted",
            target=user,
            data={"created": created, "roles": [spec.role.value for spec in roles]},
        )
        events.publish(topic="accounts.staff_changed", payload={"user": username})
    return user


def _assign(user: User, spec: RoleSpec) -> RoleAssignment:
    centre = Centre.objects.filter(code=spec.centre).first() if spec.centre else None
    department = (
        Department.objects.filter(code=spec.department).first() if spec.department else None
    )
    region = Region.objects.filter(code=spec.region).first() if spec.region else None
    for code, found in (
        (spec.centre, centre),
        (spec.department, department),
        (spec.region, region),
    ):
        if code and found is None:
            raise InvalidInput(_("Unknown code '%(value)s'."), code="unknown_code", value=code)
    problem = scope_problem(
        spec.role,
        has_centre=centre is not None,
        has_department=department is not None,
        has_region=region is not None,
    )
    if problem:
        raise InvalidInput(problem, code="bad_scope")
    assignment = RoleAssignment.objects.create(
        user=user, role=spec.role, centre=centre, department=department, region=region
    )
    if spec.windows:
        windows = list(Window.objects.filter(centre=centre, number__in=spec.windows))
        if len(windows) != len(set(spec.windows)):
            raise InvalidInput(_("Unknown window number."), code="unknown_window")
        assignment.windows.set(windows)
    return assignment
