"""Ratings over the API: for the phone page, the feedback tablet and partner apps."""

from __future__ import annotations

import uuid
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from onestop.cases import access as case_access
from onestop.cases import selectors as cases
from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import InvalidInput
from onestop.feedback import services
from onestop.queue import selectors as queue

router = Router()


class ApplicationRef(Schema):
    number: str = Field(min_length=1, max_length=40)
    iin: str = Field(min_length=1, max_length=20)


class Scores(Schema):
    waiting: int = Field(ge=1, le=5)
    speed: int = Field(ge=1, le=5)
    politeness: int = Field(ge=1, le=5)
    comfort: int = Field(ge=1, le=5)
    information: int = Field(ge=1, le=5)


class RatingIn(Schema):
    ticket: uuid.UUID | None = Field(default=None, description="A served ticket's id")
    application: ApplicationRef | None = Field(
        default=None, description="Or an application whose result was issued"
    )
    scores: Scores
    comment: str = Field(default="", max_length=2000)
    channel: Literal["phone", "tablet", "portal"] = "phone"


class RatingOut(Schema):
    id: int
    follow_up: bool = Field(description="A low score: the centre manager follows it up")


@router.post(
    "/ratings",
    response={201: RatingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Rate a served visit or an issued result, once (anonymous to the operator)",
)
def rate(request: HttpRequest, payload: RatingIn) -> Status[RatingOut]:
    if (payload.ticket is None) == (payload.application is None):
        raise InvalidInput(
            _("Rate either a ticket or an application."), code="ticket_or_application"
        )
    scores = payload.scores.dict()
    if payload.ticket is not None:
        rating = services.rate_visit(
            ticket=queue.ticket_by_id(str(payload.ticket)),
            scores=scores,
            comment=payload.comment,
            channel=payload.channel,
        )
    else:
        assert payload.application is not None
        case_access.check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
        rating = services.rate_result(
            case=cases.application_for_citizen(payload.application.number, payload.application.iin),
            scores=scores,
            comment=payload.comment,
            channel=payload.channel,
        )
    return Status(201, RatingOut(id=rating.pk, follow_up=hasattr(rating, "follow_up")))
