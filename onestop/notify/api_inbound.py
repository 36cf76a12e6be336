"""The SMS gateway's inbound webhook: a citizen's text message in, an answer by SMS out."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from onestop.core.api_schemas import ErrorOut
from onestop.core.errors import OneStopError
from onestop.notify import inbound

router = Router()


class InboundUnavailable(OneStopError):
    status = 503
    default_code = "inbound_sms_off"


class GatewayToken(HttpBearer):
    """`Authorization: Bearer <SMS_INBOUND_TOKEN>`, compared in constant time. With the
    setting empty, inbound SMS is off and every delivery is refused."""

    def __call__(self, request: HttpRequest) -> bool | None:
        if not _expected():
            raise InboundUnavailable(_("Inbound SMS is not enabled on this server."))
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> bool | None:
        return hmac.compare_digest(token.encode(), _expected().encode()) or None


def _expected() -> str:
    return settings.SMS_INBOUND_TOKEN


class InboundIn(Schema):
    sender: str = Field(
        alias="from", min_length=1, max_length=30, description="The citizen's phone number"
    )
    text: str = Field(default="", max_length=2000, description="The message as typed")
    id: str | int | None = Field(
        default=None,
        description="The gateway's message id: a retried delivery with the same id is "
        "answered once",
    )


class InboundOut(Schema):
    reply: str = Field(description="The answer sent to the sender by SMS")
    message_id: int | None = Field(description="Our outgoing message in the delivery log")


@router.post(
    "/sms/inbound",
    auth=GatewayToken(),
    response={200: InboundOut, 401: ErrorOut, 422: ErrorOut, 503: ErrorOut},
    summary="The SMS gateway's webhook: answers STATUS, BOOKING, CANCEL and HELP by SMS",
    description=(
        'Body `{"from": "+77011234567", "text": "STATUS AST-01-20261202-0001 '
        '<IIN>", "id": "<gateway message id>"}`. Commands in Kazakh, Russian or English '
        "(МӘРТЕБЕ/СТАТУС/STATUS, ЖАЗЫЛУ/БРОНЬ/BOOKING, БАС ТАРТУ/ОТМЕНА/CANCEL, "
        "КӨМЕК/ПОМОЩЬ/HELP); the answer comes in the command's language."
    ),
)
def receive(request: HttpRequest, payload: InboundIn) -> InboundOut:
    gateway_id = None if payload.id is None else str(payload.id)
    answer = inbound.handle_inbound(sender=payload.sender, text=payload.text, gateway_id=gateway_id)
    return InboundOut(reply=answer.text, message_id=answer.message_id)
