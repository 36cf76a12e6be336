"""Queue endpoints: kiosks issue, operators call and serve, boards and phones read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer, django_auth

from onestop.accounts import selectors as accounts
from onestop.accounts.models import User
from onestop.catalog.selectors import service_named
from onestop.centres import selectors as centres
from onestop.centres.models import Device
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import PermissionDenied
from onestop.queue import access, selectors, services, windows
from onestop.queue.models import Ticket

router = Router()


class StaffOrDeviceToken(HttpBearer):
    """A staff member's API token, or a kiosk's / board's device token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | Device | None:
        staff = accounts.user_for_token(token)
        if staff is not None:
            request.user = staff
            return staff
        return centres.device_for_token(token)


bearer = StaffOrDeviceToken()
AUTH = [bearer, django_auth]


def _staff(request: HttpRequest) -> User:
    principal = request.auth  # type: ignore[attr-defined]
    if not isinstance(principal, User):
        raise PermissionDenied(_("Sign in as a member of staff."), code="staff_only")
    return principal


class TicketIn(Schema):
    service: str = Field(min_length=1, max_length=40)
    iin: str = Field(default="", max_length=20)
    priority: Literal["none", "pensioner", "veteran_wwii", "veteran_afghan", "disabled"] = "none"
    phone: str = Field(default="", max_length=30)
    language: Literal["kk", "ru", "en"] = "kk"


class TicketOut(Schema):
    id: uuid.UUID
    number: str
    centre: str
    service: str
    service_name: str
    status: str
    priority: str
    position: int | None
    estimated_wait_minutes: int | None
    window: int | None
    issued_at: datetime
    called_at: datetime | None


def ticket_out(ticket: Ticket) -> TicketOut:
    position = selectors.position_of(ticket)
    return TicketOut(
        id=ticket.id,
        number=ticket.number,
        centre=ticket.centre.code,
        service=ticket.service.code,
        service_name=ticket.service.name,
        status=ticket.status,
        priority=ticket.priority,
        position=position.people_ahead if position else None,
        estimated_wait_minutes=position.estimated_wait_minutes if position else None,
        window=ticket.window.number if ticket.window else None,
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
    )


def _serving_window(request: HttpRequest, ticket: Ticket) -> User:
    """The operator acting on a ticket must sit at the window that called it."""
    user = _staff(request)
    window = ticket.window
    if window is None:
        raise PermissionDenied(_("This ticket is not at a window."), code="not_at_window")
    access.check_may_serve_at(user, window)
    return user


@router.post(
    "/centres/{centre}/tickets",
    auth=AUTH,
    response={
        201: TicketOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Issue a ticket (kiosk or staff); repeat with the same Idempotency-Key to get it again",
)
def issue_ticket(request: HttpRequest, centre: str, payload: TicketIn) -> Status[TicketOut]:
    place = centres.centre_named(centre)
    principal = request.auth  # type: ignore[attr-defined]
    access.check_may_issue_at(
        user=principal if isinstance(principal, User) else None,
        device=principal if isinstance(principal, Device) else None,
        centre=place,
    )
    key = request.headers.get("Idempotency-Key", "").strip()[:100] or None
    ticket = services.issue_ticket(
        centre=place,
        service=service_named(payload.service),
        iin=payload.iin,
        priority=payload.priority,
        phone=payload.phone,
        language=payload.language,
        idempotency_key=key,
        actor=principal if isinstance(principal, User) else None,
    )
    return Status(201, ticket_out(ticket))


@router.get(
    "/tickets/{ticket_id}",
    response={200: TicketOut, 404: ErrorOut, 422: ErrorOut},
    summary="A ticket's live state (public: the id is unguessable)",
)
def get_ticket(request: HttpRequest, ticket_id: uuid.UUID) -> TicketOut:
    return ticket_out(selectors.ticket_by_id(str(ticket_id)))


@router.post(
    "/centres/{centre}/windows/{number}/call-next",
    auth=AUTH,
    response={
        200: TicketOut,
        204: None,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Call the next ticket this window serves (204 when nobody waits for it)",
)
def call_next(request: HttpRequest, centre: str, number: int) -> Any:
    window = selectors.window_at(centre, number)
    user = _staff(request)
    access.check_may_serve_at(user, window)
    ticket = services.call_next(window=window, operator=user)
    if ticket is None:
        return Status(204, None)
    return ticket_out(ticket)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class CallIn(ReasonIn):
    window: int


class FinishIn(Schema):
    outcome: Literal["application", "consultation", "incomplete"]


class TransferIn(Schema):
    service: str | None = None
    window: int | None = None


WINDOW_RESPONSES: dict[int, Any] = {
    204: None,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post("/centres/{centre}/windows/{number}/take", auth=AUTH, response=WINDOW_RESPONSES)
def take_window(request: HttpRequest, centre: str, number: int) -> Status[None]:
    window = selectors.window_at(centre, number)
    user = _staff(request)
    access.check_may_serve_at(user, window)
    windows.take_window(window=window, operator=user)
    return Status(204, None)


@router.post("/centres/{centre}/windows/{number}/leave", auth=AUTH, response=WINDOW_RESPONSES)
def leave_window(request: HttpRequest, centre: str, number: int) -> Status[None]:
    window = selectors.window_at(centre, number)
    user = _staff(request)
    access.check_may_serve_at(user, window)
    windows.leave_window(window=window, operator=user)
    return Status(204, None)


@router.post("/centres/{centre}/windows/{number}/pause", auth=AUTH, response=WINDOW_RESPONSES)
def pause_window(request: HttpRequest, centre: str, number: int, payload: ReasonIn) -> Status[None]:
    window = selectors.window_at(centre, number)
    user = _staff(request)
    access.check_may_serve_at(user, window)
    windows.pause_window(window=window, operator=user, reason=payload.reason)
    return Status(204, None)


@router.post("/centres/{centre}/windows/{number}/resume", auth=AUTH, response=WINDOW_RESPONSES)
def resume_window(request: HttpRequest, centre: str, number: int) -> Status[None]:
    window = selectors.window_at(centre, number)
    user = _staff(request)
    access.check_may_serve_at(user, window)
    windows.resume_window(window=window, operator=user)
    return Status(204, None)


TICKET_RESPONSES: dict[int, Any] = {
    200: TicketOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post(
    "/tickets/{ticket_id}/call",
    auth=AUTH,
    response=TICKET_RESPONSES,
    summary="Call out of order, with a reason",
)
def call_ticket(request: HttpRequest, ticket_id: uuid.UUID, payload: CallIn) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    window = selectors.window_at(ticket.centre.code, payload.window)
    user = _staff(request)
    access.check_may_serve_at(user, window)
    return ticket_out(
        services.call_ticket(ticket=ticket, window=window, operator=user, reason=payload.reason)
    )


@router.post("/tickets/{ticket_id}/recall", auth=AUTH, response=TICKET_RESPONSES)
def recall(request: HttpRequest, ticket_id: uuid.UUID) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    return ticket_out(services.recall(ticket=ticket, operator=_serving_window(request, ticket)))


@router.post("/tickets/{ticket_id}/start", auth=AUTH, response=TICKET_RESPONSES)
def start(request: HttpRequest, ticket_id: uuid.UUID) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    return ticket_out(services.start(ticket=ticket, operator=_serving_window(request, ticket)))


@router.post("/tickets/{ticket_id}/finish", auth=AUTH, response=TICKET_RESPONSES)
def finish(request: HttpRequest, ticket_id: uuid.UUID, payload: FinishIn) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    operator = _serving_window(request, ticket)
    return ticket_out(services.finish(ticket=ticket, operator=operator, outcome=payload.outcome))


@router.post("/tickets/{ticket_id}/no-show", auth=AUTH, response=TICKET_RESPONSES)
def no_show(request: HttpRequest, ticket_id: uuid.UUID) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    return ticket_out(
        services.mark_no_show(ticket=ticket, operator=_serving_window(request, ticket))
    )


@router.post("/tickets/{ticket_id}/transfer", auth=AUTH, response=TICKET_RESPONSES)
def transfer(request: HttpRequest, ticket_id: uuid.UUID, payload: TransferIn) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    operator = _serving_window(request, ticket)
    service = service_named(payload.service) if payload.service else None
    return ticket_out(
        services.transfer(
            ticket=ticket, operator=operator, service=service, window_number=payload.window
        )
    )


@router.post(
    "/tickets/{ticket_id}/cancel",
    response=TICKET_RESPONSES,
    summary="Cancel a waiting ticket (the citizen, by its unguessable id)",
)
def cancel(request: HttpRequest, ticket_id: uuid.UUID) -> TicketOut:
    ticket = selectors.ticket_by_id(str(ticket_id))
    return ticket_out(services.cancel(ticket=ticket))
