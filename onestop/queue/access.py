"""Who may act on a centre's queue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onestop.accounts import access
from onestop.accounts.domain import Permission, Role
from onestop.accounts.models import User
from onestop.centres.domain import DeviceKind
from onestop.centres.models import Centre, Device, Window
from onestop.core.errors import PermissionDenied


def check_may_serve_at(user: User, window: Window) -> None:
    """An operator of the window's centre, at one of the windows assigned to them (none
    assigned means any window of the centre)."""
    if not access.has_permission(user, Permission.SERVE_TICKETS, centre=window.centre):
        raise PermissionDenied(
            _("You do not serve citizens at this centre."), code="not_your_centre"
        )
    if user.is_superuser:
        return
    for assignment in access.assignments_of(user):
        if assignment.role != Role.OPERATOR or assignment.centre_id != window.centre_id:
            continue
        numbers = assignment.window_numbers
        if not numbers or window.number in numbers:
            return
    raise PermissionDenied(
        _("Window %(number)s is not one of your windows."),
        code="not_your_window",
        number=window.number,
    )


def check_may_issue_at(*, user: User | None, device: Device | None, centre: Centre) -> None:
    """Tickets come from the centre's own kiosk, or from its staff issuing one by hand."""
    if device is not None:
        if device.centre_id != centre.pk or not device.is_active:
            raise PermissionDenied(
                _("This device belongs to another centre."), code="not_your_centre"
            )
        if device.kind != DeviceKind.KIOSK:  # a board or a feedback tablet issues nothing
            raise PermissionDenied(
                _("Only the centre's kiosk or its staff can issue tickets."), code="not_a_kiosk"
            )
        return
    if user is not None and (
        access.has_permission(user, Permission.SERVE_TICKETS, centre=centre)
        or access.has_permission(user, Permission.CONFIGURE_CENTRE, centre=centre)
    ):
        return
    raise PermissionDenied(
        _("Only the centre's kiosk or its staff can issue tickets."), code="not_your_centre"
    )


def check_may_manage_queue(user: User, centre: Centre) -> None:
    if not (
        access.has_permission(user, Permission.CONFIGURE_CENTRE, centre=centre)
        or access.has_permission(user, Permission.VIEW_CENTRE, centre=centre)
    ):
        raise PermissionDenied(_("You do not manage this centre."), code="not_your_centre")


def check_tablet_at(device: Device | None, window: Window) -> None:
    """The feedback tablet of the window's centre that stands at this very window (active)."""
    if device is None:
        raise PermissionDenied(
            _("This page opens only on the window's feedback tablet, with its device link."),
            code="unknown_device",
        )
    if (
        not device.is_active
        or device.kind != DeviceKind.TABLET
        or device.centre_id != window.centre_id
        or device.window_id != window.pk
    ):
        raise PermissionDenied(
            _("This device is not the feedback tablet of this window."), code="not_this_window"
        )
