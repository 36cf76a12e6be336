"""Who may read and answer the follow-ups of low ratings: the centre's management."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onestop.accounts import access
from onestop.accounts.domain import Permission
from onestop.accounts.models import User
from onestop.centres.models import Centre
from onestop.core.errors import PermissionDenied


def check_may_follow_up(user: User, centre: Centre) -> None:
    if not access.has_permission(user, Permission.HANDLE_COMPLAINTS, centre=centre):
        raise PermissionDenied(
            _("Only the centre's management follows up its ratings."), code="not_your_centre"
        )
