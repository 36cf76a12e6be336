""" "Your turn is near": an SMS to citizens who left a phone number, once per ticket."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.audit import services as audit
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.notify import services as notify
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Ticket


def remind_near_turn(*, ticket_ids: list[str]) -> int:
    """Text these tickets (those now at most QUEUE_SMS_WHEN_AHEAD places from a window that
    has just called, who left a phone) unless they have been told already. Runs after the
    call has committed: no SMS inside a transaction."""
    sent = 0
    for ticket_id in ticket_ids:
        with transaction.atomic():
            # Claim the reminder first, so two windows calling at once send one SMS.
            claimed = (
                Ticket.objects.filter(
                    pk=ticket_id,
                    status=TicketStatus.WAITING,
                    turn_near_sms_at__isnull=True,
                )
                .exclude(phone="")
                .update(turn_near_sms_at=clock.now())
            )
            if not claimed:
                continue
            ticket = Ticket.objects.select_related("centre").get(pk=ticket_id)
            audit.record(actor=None, action="queue.turn_near_sms", target=ticket)
        with translation.override(ticket.language):
            text = _(
                "OneStop %(centre)s: ticket %(number)s, your turn is near. Please come to the hall."
            ) % {"centre": ticket.centre.code, "number": ticket.number}
            try:
                notify.send_sms(to=ticket.phone, text=text)
            except InvalidInput:
                continue  # a number that passed the kiosk but not the gateway's rules
        sent += 1
    return sent


def invite_to_rate(*, ticket_id: str) -> None:
    """After a served visit, a citizen who left a phone gets the link to rate it. Runs after
    the visit's end has committed."""
    ticket = Ticket.objects.select_related("centre").get(pk=ticket_id)
    if not ticket.phone:
        return
    link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/t/{ticket.id}/rate"
    with translation.override(ticket.language):
        text = _(
            "OneStop %(centre)s: thank you for your visit (ticket %(number)s). How were you "
            "served? Rate it in a minute: %(link)s"
        ) % {"centre": ticket.centre.code, "number": ticket.number, "link": link}
        with contextlib.suppress(InvalidInput):
            notify.send_sms(to=ticket.phone, text=text)
