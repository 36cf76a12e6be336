from __future__ import annotations

from django.db.models import QuerySet

from onestop.accounts.models import ApiToken, RoleAssignment, User
from onestop.core import clock
from onestop.core.tokens import hash_token


def active_token(raw: str) -> ApiToken | None:
    """The unexpired, unrevoked token of an active user matching `raw`, if any."""
    if not raw:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=hash_token(raw),
            revoked_at__isnull=True,
            expires_at__gt=clock.now(),
            user__is_active=True,
        )
        .first()
    )


def assignments_of(user: User) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("centre", "department", "region")
        .prefetch_related("windows")
        .order_by("role")
    )
