from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import access, selectors
from onestop.accounts.domain import Permission, Role
from onestop.accounts.models import User
from onestop.planning import access as planning_access


@dataclass(frozen=True)
class Screen:
    title: str | Promise
    description: str | Promise
    url: str


def _screens(user: User) -> list[Screen]:
    """The screens this user's roles open, in the order a working day needs them."""
    screens: list[Screen] = []
    if access.has_permission(user, Permission.SERVE_TICKETS):
        screens.append(
            Screen(
                _("Operator console"),
                _("Take your window, call the next citizen, serve, transfer, take a break."),
                reverse("console:windows"),
            )
        )
    centres = {a.centre for a in selectors.assignments_of(user) if a.centre is not None}
    for centre in sorted(centres, key=lambda c: c.code):
        if access.has_permission(user, Permission.VIEW_CENTRE, centre=centre):
            screens.append(
                Screen(
                    _("%(centre)s: display board") % {"centre": centre.code},
                    _("The hall's board: who is called to which window, who waits."),
                    reverse("board:page", args=[centre.code]),
                )
            )
            screens.append(
                Screen(
                    _("%(centre)s: live centre view") % {"centre": centre.code},
                    _("Queues against targets, windows, today's figures and staff wellbeing."),
                    reverse("live:centre", args=[centre.code]),
                )
            )
            screens.append(
                Screen(
                    _("%(centre)s: kiosk") % {"centre": centre.code},
                    _("Issue a ticket by hand for a citizen who cannot use the kiosk."),
                    reverse("kiosk:start", args=[centre.code]),
                )
            )
        if access.has_permission(user, Permission.SERVE_TICKETS, centre=centre) or (
            access.has_permission(user, Permission.VIEW_CENTRE, centre=centre)
        ):
            screens.append(
                Screen(
                    _("%(centre)s: windows, hours and services") % {"centre": centre.name},
                    _("Which window serves which service, and today's opening hours."),
                    reverse("portal:centre", args=[centre.code]),
                )
            )
    if planning_access.may_use_planner(user):
        screens.append(
            Screen(
                _("Staffing planner"),
                _(
                    "How many windows each hour needs to keep waits within target, and what "
                    "a break or a closed window costs citizens."
                ),
                reverse("planning:index"),
            )
        )
    if access.has_permission(user, Permission.DECIDE_CASES) or access.has_permission(
        user, Permission.REASSIGN_CASES
    ):
        screens.append(
            Screen(
                _("Back-office workspace"),
                _(
                    "Your work queue of applications with their deadlines, decisions, "
                    "re-checks and reassignments."
                ),
                reverse("cases:backoffice"),
            )
        )
    for centre in sorted(centres, key=lambda c: c.code):
        if access.has_permission(user, Permission.HANDLE_COMPLAINTS, centre=centre):
            screens.append(
                Screen(
                    _("%(centre)s: low ratings to follow up") % {"centre": centre.code},
                    _("Ratings of 2 or less, each with its answer clock."),
                    reverse("feedback:follow_ups", args=[centre.code]),
                )
            )
    if access.has_permission(user, Permission.VIEW_MONITORING):
        screens.append(
            Screen(
                _("Situational Centre"),
                _("Every centre of your scope: waits, load, breaches, deadlines, satisfaction."),
                reverse("monitoring:overview"),
            )
        )
    if access.has_permission(user, Permission.LOOK_UP_FOR_CALLER):
        screens.append(
            Screen(
                _("Call-centre desk"),
                _("Look up a caller's application, book a visit for them, take a complaint."),
                reverse("callcentre:desk"),
            )
        )
    if access.has_permission(user, Permission.HANDLE_COMPLAINTS) or access.has_permission(
        user, Permission.REVIEW_QUALITY
    ):
        screens.append(
            Screen(
                _("Complaint desk"),
                _("Complaints you review, each with its statutory clock: assign, answer, refer."),
                reverse("complaints:desk"),
            )
        )
    screens.append(
        Screen(
            _("Service standards"),
            _("Deadlines, fees, documents and grounds for refusal of every service."),
            reverse("portal:services"),
        )
    )
    screens.append(
        Screen(
            _("Centres"),
            _("Addresses, opening hours and windows of every centre"),
            reverse("portal:centres"),
        )
    )
    if access.can_use_admin(user):
        screens.append(
            Screen(
                _("Administration"),
                _("Catalogue, centres, windows, staff, devices, calendar and MCI."),
                reverse("admin:index"),
            )
        )
    screens.append(
        Screen(
            _("API documentation"),
            _("The REST API for kiosks, boards, the call centre and partners."),
            reverse("api-v1:openapi-view"),
        )
    )
    return screens


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    assignments = [
        {
            "role": Role(a.role).label,
            "scope": a.centre or a.department or a.region or _("Whole country"),
            "windows": [w.number for w in a.windows.all()],
        }
        for a in selectors.assignments_of(user)
    ]
    return render(
        request,
        "accounts/start.html",
        {"assignments": assignments, "screens": _screens(user)},
    )
