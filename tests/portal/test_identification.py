"""A citizen identifies by IIN and a one-time SMS code: the code's life, its tries, how often a
new one is sent, the development inbox, and the IIN kept out of every address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from onestop.audit.models import AuditEntry
from onestop.cases.registries import DemoRegistry
from onestop.core import clock
from onestop.core.errors import Conflict, InvalidInput, NotFound
from onestop.notify.models import Message
from onestop.portal import identity, identity_domain
from onestop.portal.models import OneTimeCode
from onestop.portal.selectors_citizen import latest_code
from tests.cases.conftest import IIN, Desk
from tests.portal.citizen_helpers import OTHER_IIN, WEDNESDAY, last_code, sign_in, unknown_iin

pytestmark = pytest.mark.django_db


@pytest.fixture
def wednesday(demo: None) -> Iterator[None]:
    cache.clear()
    with clock.frozen_at(WEDNESDAY):
        yield


@pytest.fixture
def desk(client: Client, wednesday: None) -> Desk:
    return Desk(client)


PHONE = DemoRegistry().mobile_phone(IIN)


def _other_applicant() -> dict[str, Any]:
    return {
        "iin": OTHER_IIN,
        "name": "Серікбаева Динара",
        "birth_date": "1985-07-03",
        "identity_confirmed": True,
        "language": "kk",
    }


@pytest.fixture
def inbox_on(settings: Any) -> None:
    settings.DEV_INBOX = True


@pytest.fixture
def client() -> Client:
    """A browser reading English, so the messages checked here read the same once the
    Kazakh and Russian translations arrive."""
    return Client(headers={"accept-language": "en"})


# --- The pure rules -------------------------------------------------------------------------


def test_a_code_is_six_random_digits_and_only_its_keyed_hash_is_kept() -> None:
    codes = {identity_domain.new_code() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 40
    mine = identity_domain.code_hash(iin=IIN, code="123456", key="k")
    assert len(mine) == 64 and "123456" not in mine
    assert mine != identity_domain.code_hash(iin=OTHER_IIN, code="123456", key="k")
    assert mine != identity_domain.code_hash(iin=IIN, code="123456", key="other key")
    assert identity_domain.code_matches(stored_hash=mine, iin=IIN, code="123456", key="k")
    assert not identity_domain.code_matches(stored_hash=mine, iin=IIN, code="123457", key="k")


def test_typed_codes_are_cleaned_and_anything_else_refused() -> None:
    assert identity_domain.clean_code(" 123 456 ") == "123456"
    assert identity_domain.clean_code("123-456") == "123456"
    for bad in ("12345", "1234567", "12345a", "１２３４５６", ""):
        assert identity_domain.clean_code(bad) is None


def test_a_new_code_waits_a_minute_after_the_last_and_five_fill_an_hour() -> None:
    policy = identity_domain.ResendPolicy(cool_down=timedelta(seconds=60), per_hour=5)
    now = clock.now()
    assert identity_domain.resend_wait([], now, policy) is None
    just = identity_domain.resend_wait([now - timedelta(seconds=20)], now, policy)
    assert just == identity_domain.Wait(delay=timedelta(seconds=40), hourly=False)
    assert identity_domain.resend_wait([now - timedelta(seconds=60)], now, policy) is None
    five = [now - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    full = identity_domain.resend_wait(five, now, policy)
    assert full == identity_domain.Wait(delay=timedelta(minutes=10), hourly=True)
    old = [now - timedelta(minutes=m) for m in (70, 40, 30, 20, 10)]
    assert identity_domain.resend_wait(old, now, policy) is None


def test_phones_and_iins_are_masked_for_display_and_audit() -> None:
    assert identity_domain.masked_phone("+77011235678") == "+7 7** *** 56 78"
    assert identity_domain.masked_iin(IIN) == "90••••••••44"
    assert identity_domain.lifetime_minutes(300) == 5
    assert identity_domain.lifetime_minutes(301) == 6
    assert identity_domain.lifetime_minutes(10) == 1


def test_the_demo_mobile_database_is_stable_and_knows_nobody_the_registries_do_not() -> None:
    registry = DemoRegistry()
    assert PHONE is not None and PHONE.startswith("+770") and len(PHONE) == 12
    assert registry.mobile_phone(IIN) == PHONE
    assert registry.mobile_phone(OTHER_IIN) not in (None, PHONE)
    assert registry.mobile_phone(unknown_iin()) is None
    assert registry.person(unknown_iin()) is None


# --- The whole flow through the pages -------------------------------------------------------


def test_code_by_sms_then_the_citizen_sees_only_their_own_applications(
    desk: Desk, client: Client, inbox_on: None
) -> None:
    mine = desk.register().json()["applications"][0]["number"]
    theirs = desk.register(applicant=_other_applicant()).json()["applications"][0]["number"]
    assert client.get("/my/applications/")["Location"] == "/my/"

    asked = client.post("/my/", {"iin": IIN})
    assert asked.status_code == 302 and asked["Location"] == "/my/code/"
    sms = Message.objects.get()
    assert sms.recipient == PHONE and sms.language == "en"
    code = last_code()
    inbox = client.get("/dev/inbox/").content.decode()
    assert PHONE in inbox and code in inbox
    assert code in client.get("/dev/inbox/", {"phone": PHONE}).content.decode()
    assert code not in client.get("/dev/inbox/", {"phone": "+77000000000"}).content.decode()

    page = client.get("/my/code/").content.decode()
    assert identity_domain.masked_phone(PHONE) in page and "5" in page
    stored = OneTimeCode.objects.get()
    assert stored.phone == PHONE and code not in stored.code_hash

    done = client.post("/my/code/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/my/applications/"
    listing = client.get("/my/applications/")
    assert listing.status_code == 200
    assert mine in listing.content.decode() and theirs not in listing.content.decode()
    assert "no-store" in listing["Cache-Control"]
    assert OneTimeCode.objects.get().used_at == clock.now()

    sent = AuditEntry.objects.get(action="portal.code_sent")
    assert IIN not in str(sent.data) and code not in str(sent.data)
    assert sent.data["iin"] == identity_domain.masked_iin(IIN)
    assert AuditEntry.objects.filter(action="portal.identified").count() == 1


def test_the_sms_speaks_the_citizens_language_and_tells_the_codes_lifetime(
    wednesday: None, client: Client
) -> None:
    client.post("/my/", {"iin": IIN}, headers={"accept-language": "ru"})
    sms = Message.objects.get()
    assert sms.language == "ru" and "5" in sms.body and last_code() in sms.body


def test_the_iin_never_appears_in_an_address_the_pages_send_the_browser_to(
    desk: Desk, client: Client
) -> None:
    seen = sign_in(client, IIN)
    seen.append(client.get("/my/")["Location"])  # signed in: straight to the applications
    seen.append(client.post("/my/sign-out/")["Location"])
    seen.append(client.get("/my/bookings/")["Location"])
    assert seen == ["/my/code/", "/my/applications/", "/my/applications/", "/my/", "/my/"]
    assert not any(IIN in url for url in seen)


def test_an_expired_code_is_refused_and_a_new_one_works(wednesday: None, client: Client) -> None:
    client.post("/my/", {"iin": IIN})
    code = last_code()
    clock.advance(timedelta(seconds=settings.OTP_TTL_SECONDS))
    assert "expired" in client.get("/my/code/").content.decode()
    refused = client.post("/my/code/", {"code": code})
    assert refused.status_code == 409 and "expired" in refused.content.decode()
    assert client.get("/my/applications/")["Location"] == "/my/"
    assert client.post("/my/code/", {"action": "resend"})["Location"] == "/my/code/"
    assert client.post("/my/code/", {"code": code}).status_code in (409, 422)  # the old one
    assert client.post("/my/code/", {"code": last_code()})["Location"] == "/my/applications/"


def test_wrong_codes_use_up_the_tries_and_then_even_the_right_code_is_dead(
    wednesday: None, client: Client
) -> None:
    client.post("/my/", {"iin": IIN})
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for tries_left in range(settings.OTP_MAX_ATTEMPTS - 1, 0, -1):
        answer = client.post("/my/code/", {"code": wrong})
        assert answer.status_code == 422 and f": {tries_left}." in answer.content.decode()
    last = client.post("/my/code/", {"code": wrong})
    assert last.status_code == 409
    assert OneTimeCode.objects.get().attempts == settings.OTP_MAX_ATTEMPTS
    dead = client.post("/my/code/", {"code": code})
    assert dead.status_code == 409 and client.get("/my/applications/")["Location"] == "/my/"
    assert OneTimeCode.objects.get().used_at is None
    with pytest.raises(Conflict) as raised:
        identity.verify_code(iin=IIN, code=code)
    assert raised.value.code == "too_many_attempts"


def test_a_malformed_code_costs_no_try(wednesday: None) -> None:
    identity.send_code(iin=IIN, language="en")
    with pytest.raises(InvalidInput) as raised:
        identity.verify_code(iin=IIN, code="12ab56")
    assert raised.value.code == "invalid_code"
    assert OneTimeCode.objects.get().attempts == 0


def test_a_code_works_once_even_when_two_checks_race(wednesday: None) -> None:
    identity.send_code(iin=IIN, language="en")
    code = last_code()
    stale = latest_code(IIN)  # both requests read the code before either marks it used
    assert identity.verify_code(iin=IIN, code=code).used_at == clock.now()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(identity, "latest_code", lambda iin: stale)
        with pytest.raises(Conflict) as raised:
            identity.verify_code(iin=IIN, code=code)
    assert raised.value.code == "code_used"
    with pytest.raises(Conflict):
        identity.verify_code(iin=IIN, code=code)
    assert AuditEntry.objects.filter(action="portal.identified").count() == 1


def test_only_the_latest_code_counts(wednesday: None) -> None:
    identity.send_code(iin=IIN, language="kk")
    first = last_code()
    clock.advance(timedelta(seconds=61))
    identity.send_code(iin=IIN, language="kk")
    second = last_code()
    if first != second:
        with pytest.raises(InvalidInput):
            identity.verify_code(iin=IIN, code=first)
    assert identity.verify_code(iin=IIN, code=second).used_at is not None


def test_a_new_code_only_after_the_cool_down_and_five_an_hour(
    wednesday: None, client: Client
) -> None:
    identity.send_code(iin=IIN, language="ru")
    with pytest.raises(Conflict) as raised:
        identity.send_code(iin=IIN, language="ru")
    assert raised.value.code == "resend_too_soon" and raised.value.params["seconds"] == 60
    clock.advance(timedelta(seconds=30))
    back = client.post("/my/", {"iin": IIN})  # asked again: the code on its way still counts
    assert back["Location"] == "/my/code/" and "30" in client.get("/my/code/").content.decode()
    again = client.post("/my/code/", {"action": "resend"})
    assert again.status_code == 409 and "30" in again.content.decode()
    assert Message.objects.count() == 1
    for _ in range(4):
        clock.advance(timedelta(seconds=60))
        identity.send_code(iin=IIN, language="ru")
    assert Message.objects.count() == 5
    clock.advance(timedelta(minutes=10))
    with pytest.raises(Conflict) as raised:
        identity.send_code(iin=IIN, language="ru")
    assert raised.value.code == "too_many_codes"
    assert raised.value.params["time"] == "11:00"  # the first code, 10:00, leaves the hour
    clock.advance(timedelta(minutes=60))
    identity.send_code(iin=IIN, language="ru")
    assert Message.objects.count() == 6


def test_a_citizen_with_no_registered_phone_is_told_to_visit_a_centre(
    wednesday: None, client: Client
) -> None:
    answer = client.post("/my/", {"iin": unknown_iin()})
    assert answer.status_code == 404
    assert "visit any public service centre" in answer.content.decode()
    assert not Message.objects.exists() and not OneTimeCode.objects.exists()
    with pytest.raises(NotFound) as raised:
        identity.send_code(iin=unknown_iin(), language="en")
    assert raised.value.code == "no_phone"


def test_an_invalid_iin_is_refused_before_anything_is_sent(wednesday: None, client: Client) -> None:
    answer = client.post("/my/", {"iin": "900115312345"})
    assert answer.status_code == 422
    assert not Message.objects.exists() and not OneTimeCode.objects.exists()


def test_the_code_page_without_a_code_asked_goes_back_to_the_start(
    wednesday: None, client: Client
) -> None:
    assert client.get("/my/code/")["Location"] == "/my/"
    assert client.post("/my/code/", {"code": "123456"})["Location"] == "/my/"


def test_identification_lasts_the_citizen_session_and_ends_at_sign_out(
    desk: Desk, client: Client
) -> None:
    sign_in(client, IIN)
    clock.advance(timedelta(seconds=settings.CITIZEN_SESSION_SECONDS - 1))
    assert client.get("/my/bookings/").status_code == 200
    clock.advance(timedelta(seconds=1))
    assert client.get("/my/bookings/")["Location"] == "/my/"
    sign_in(client, IIN)  # thirty minutes on: the cool-down is long over
    client.post("/my/sign-out/")
    assert client.get("/my/access-log/")["Location"] == "/my/"
    assert client.get("/my/sign-out/").status_code == 405


def test_the_development_inbox_is_absent_when_switched_off(
    wednesday: None, client: Client, settings: Any
) -> None:
    settings.DEV_INBOX = False
    identity.send_code(iin=IIN, language="kk")
    assert client.get("/dev/inbox/").status_code == 404
    settings.DEV_INBOX = True
    page = client.get("/dev/inbox/").content.decode()
    assert "demo SMS gateway" in page and last_code() in page


def test_codes_asked_from_one_address_are_limited_across_iins(
    wednesday: None, client: Client, settings: Any
) -> None:
    settings.OTP_SENDS_PER_ADDRESS_PER_HOUR = 1
    assert client.post("/my/", {"iin": IIN}).status_code == 302
    answer = client.post("/my/", {"iin": OTHER_IIN})
    assert answer.status_code == 429 and Message.objects.count() == 1
