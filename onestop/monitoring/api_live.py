"""The live centre view as JSON: what the live page re-reads on every event of the centre's
stream. Staff within scope only; operator-level figures only for the centre's management."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from onestop.accounts.models import User
from onestop.centres import selectors as centres
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import PermissionDenied
from onestop.monitoring import live_access
from onestop.queue.api import AUTH

router = Router()


class Names(Schema):
    kk: str
    ru: str
    en: str


class LiveGroupOut(Schema):
    letter: str
    names: Names
    waiting: int
    longest_wait_minutes: int
    target_minutes: int
    over_target: int
    breach: bool


class LiveWindowsOut(Schema):
    total: int
    open: int
    serving: int
    idle: int
    paused: int
    closed: int


class LiveWindowOut(Schema):
    number: int
    activity: str


class LiveTodayOut(Schema):
    issued: int
    waiting: int
    served: int
    no_shows: int
    average_wait_minutes: float | None
    average_handling_minutes: float | None


class OperatorLoadOut(Schema):
    username: str
    name: str
    window: int | None
    on_break: bool
    continuous_minutes: int
    breaks: int
    break_minutes: int
    served: int
    share_percent: int
    needs_break: bool


class LiveOut(Schema):
    centre: str
    centre_names: Names
    generated_at: datetime
    last_event_id: int
    groups: list[LiveGroupOut]
    windows: LiveWindowsOut
    window_list: list[LiveWindowOut]
    today: LiveTodayOut
    booked_next_hour: int
    max_continuous_minutes: int | None = None
    wellbeing: list[OperatorLoadOut] | None = None


@router.get(
    "/centres/{centre}/live",
    auth=AUTH,
    response={200: LiveOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    exclude_unset=True,
    summary="A centre's live view: queues, windows, today's figures (centre management, "
    "analysts in scope); operators' wellbeing only for the centre's own management",
)
def centre_live(request: HttpRequest, centre: str) -> dict[str, Any]:
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, User):
        raise PermissionDenied(_("Sign in as a member of staff."), code="staff_only")
    return live_access.live_view_for(principal, centres.centre_by_code(centre))
