from __future__ import annotations

from django.db.models import QuerySet

from onestop.accounts.models import ApiToken, RoleAssignment, User
from onestop.core import clock
from onestop.core.sql import prep
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


def user_for_token(raw: str) -> User | None:
    """The active user whose unexpired, unrevoked token is `raw`: the same rule as
    `active_token`, shaped by hand because every API request asks it."""
    if not raw:
        return None
    found = User.objects.raw(
        "SELECT u.* FROM accounts_user u JOIN accounts_apitoken t ON t.user_id = u.id "
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND u.is_active",
        [hash_token(raw), prep(ApiToken, "expires_at", clock.now())],
    )
    return next(iter(found), None)


def assignments_of(user: User) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("centre", "department", "region")
        .prefetch_related("windows")
        .order_by("role")
    )


def assignments_with_window_numbers(user_id: int) -> list[RoleAssignment]:
    """A user's role assignments, each with `window_numbers` (empty: any window of its
    centre), in one read: the access funnel asks on every queue request."""
    rows = RoleAssignment.objects.raw(
        "SELECT a.*, w.number AS window_number FROM accounts_roleassignment a "
        "LEFT JOIN accounts_roleassignment_windows aw ON aw.roleassignment_id = a.id "
        "LEFT JOIN centres_window w ON w.id = aw.window_id WHERE a.user_id = %s ORDER BY a.id",
        [user_id],
    )
    found: dict[int, RoleAssignment] = {}
    for row in rows:
        if row.pk not in found:
            row.window_numbers = set()
            found[row.pk] = row
        number = row.window_number  # type: ignore[attr-defined]
        if number is not None:
            found[row.pk].window_numbers.add(number)
    return list(found.values())
