"""Who may work the call-centre desk: the one place that decides."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from onestop.accounts import access
from onestop.accounts.domain import Permission
from onestop.accounts.models import User
from onestop.core.errors import PermissionDenied


def agent_or_none(user: User | AnonymousUser) -> User | None:
    """The signed-in call-centre agent acting for a caller on a citizen's page, or None."""
    if isinstance(user, User) and access.has_permission(user, Permission.LOOK_UP_FOR_CALLER):
        return user
    return None


def check_may_take_calls(user: User) -> None:
    if not access.has_permission(user, Permission.LOOK_UP_FOR_CALLER):
        raise PermissionDenied(
            _("Only call-centre agents may use the call-centre desk."), code="not_an_agent"
        )
