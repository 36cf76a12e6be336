from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_operator_signs_in_and_lands_on_a_start_page_with_their_centre(
    client: Client, demo: None
) -> None:
    response = client.post(
        "/login/",
        {"username": "operator1", "password": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 302
    assert response["location"] == "/start/"
    page = client.get("/start/", headers={"accept-language": "en"}).content.decode()
    assert "Front-line operator" in page
    assert "1, 2, 3, 4" in page  # their windows
    assert "/centres/AST-01/" in page
    assert "/admin/" not in page


def test_the_administrator_start_page_links_to_the_admin(client: Client, demo: None) -> None:
    client.post("/login/", {"username": "admin", "password": PASSWORD})
    page = client.get("/start/", headers={"accept-language": "en"}).content.decode()
    assert "/admin/" in page
    assert client.get("/admin/").status_code == 200


def test_a_back_office_officer_is_not_let_into_the_admin(client: Client, demo: None) -> None:
    client.post("/login/", {"username": "officer_mj1", "password": PASSWORD})
    page = client.get("/start/", headers={"accept-language": "en"}).content.decode()
    assert "Back-office officer" in page
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["location"]


def test_a_wrong_password_is_explained_in_kazakh(client: Client, demo: None) -> None:
    response = client.post(
        "/login/", {"username": "operator1", "password": "nope"}, headers={"accept-language": "kk"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="kk"' in page
    assert "Please enter a correct" not in page
    assert "_auth_user_id" not in client.session


def test_the_start_page_requires_a_login(client: Client, demo: None) -> None:
    response = client.get("/start/")
    assert response.status_code == 302
    assert response["location"].startswith("/login/")


def test_signing_out_ends_the_session(client: Client, demo: None) -> None:
    client.post("/login/", {"username": "operator1", "password": PASSWORD})
    client.post("/logout/")
    assert client.get("/start/").status_code == 302


def test_sign_ins_and_failed_attempts_are_audited(client: Client, demo: None) -> None:
    from onestop.audit.models import AuditEntry

    client.post("/login/", {"username": "operator1", "password": "nope"})
    client.post("/login/", {"username": "operator1", "password": PASSWORD})
    failed = AuditEntry.objects.get(action="accounts.sign_in_failed")
    assert failed.object_id == "operator1"
    assert "nope" not in str(failed.data)
    assert AuditEntry.objects.get(action="accounts.signed_in").actor_label == "operator1"


def test_operators_and_managers_find_their_queue_screens_on_the_start_page(
    client: Client, demo: None
) -> None:
    client.post("/login/", {"username": "operator1", "password": PASSWORD})
    page = client.get("/start/", headers={"accept-language": "en"}).content.decode()
    assert "/console/" in page
    assert "/board/AST-01/" not in page
    client.post("/logout/")
    client.post("/login/", {"username": "supervisor1", "password": PASSWORD})
    page = client.get("/start/", headers={"accept-language": "en"}).content.decode()
    assert "/board/AST-01/" in page
    assert "/kiosk/AST-01/" in page
    assert "/console/" not in page
