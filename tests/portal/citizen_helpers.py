"""A citizen at a browser: identified by IIN and the code read back from the SMS log, the
way the development inbox shows it."""

from __future__ import annotations

import re

from django.test import Client

from onestop.core.iin import with_check_digit
from onestop.notify.models import Message
from tests.core.helpers import almaty

WEDNESDAY = almaty(2026, 12, 2, 10, 0)  # the cases tests' desk day: every demo centre open
OTHER_IIN = "850703400420"  # F, born 1985-07-03 (synthetic)


def unknown_iin() -> str:
    """A valid IIN whose serial starts with 9: the demo registries know nobody by it."""
    for tail in range(100):
        try:
            return with_check_digit(f"9001153{9000 + tail}"[:11])
        except ValueError:
            continue
    raise AssertionError("no issuable IIN found")


def last_code(phone: str | None = None) -> str:
    sms = Message.objects.filter(channel="sms")
    if phone:
        sms = sms.filter(recipient=phone)
    latest = sms.order_by("-id").first()
    assert latest is not None, "no SMS was sent"
    found = re.search(r"\b(\d{6})\b", latest.body)
    assert found, latest.body
    return found.group(1)


def sign_in(client: Client, iin: str) -> list[str]:
    """Go through /my/ with the IIN and the code from the SMS; answers the redirects seen."""
    asked = client.post("/my/", {"iin": iin})
    assert asked.status_code == 302, asked.content.decode()
    confirmed = client.post(asked["Location"], {"code": last_code()})
    assert confirmed.status_code == 302, confirmed.content.decode()
    assert confirmed["Location"] == "/my/applications/"
    return [asked["Location"], confirmed["Location"]]
