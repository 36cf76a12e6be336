"""Who may watch a centre's live view, and who may see its operators' wellbeing figures.

The live view: the centre's own management (VIEW_CENTRE there: supervisor, deputy manager,
centre manager; administrators) and the analysts whose scope covers the centre
(VIEW_MONITORING: regional analysts of its region, national analysts).
Wellbeing (operator-level figures): only the centre's own management, never analysts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from onestop.accounts.access import has_permission
from onestop.accounts.domain import Permission
from onestop.accounts.models import User
from onestop.centres.models import Centre
from onestop.core.errors import PermissionDenied
from onestop.monitoring import live_selectors


def may_watch(user: User | AnonymousUser, centre: Centre) -> bool:
    return has_permission(user, Permission.VIEW_CENTRE, centre=centre) or has_permission(
        user, Permission.VIEW_MONITORING, centre=centre
    )


def check_may_watch(user: User | AnonymousUser, centre: Centre) -> None:
    if not may_watch(user, centre):
        raise PermissionDenied(
            _("Only the management of centre %(centre)s may watch its live view."),
            code="not_centre_management",
            centre=centre.code,
        )


def may_see_wellbeing(user: User | AnonymousUser, centre: Centre) -> bool:
    """Operator-level figures stay inside the operator's own centre management."""
    return has_permission(user, Permission.VIEW_CENTRE, centre=centre)


def live_view_for(user: User | AnonymousUser, centre: Centre) -> dict[str, Any]:
    """The centre's live view as JSON data for `user`: refused outside their scope, and with
    `wellbeing` (operator-level figures) only for the centre's own management."""
    check_may_watch(user, centre)
    data = live_selectors.centre_live(centre).as_json()
    if may_see_wellbeing(user, centre):
        data["max_continuous_minutes"] = live_selectors.max_continuous_minutes()
        data["wellbeing"] = [load.as_json() for load in live_selectors.wellbeing(centre)]
    return data
