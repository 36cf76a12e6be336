from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from onestop.accounts.models import ApiToken
from onestop.audit.models import AuditEntry
from onestop.core import clock
from onestop.core.tokens import hash_token
from tests.conftest import PASSWORD, api_token

pytestmark = pytest.mark.django_db


def _post(client: Client, body: object, **headers: str) -> object:
    return client.post("/api/v1/auth/token", body, content_type="application/json", headers=headers)


def test_a_staff_login_gets_a_bearer_token_that_opens_the_api(client: Client, demo: None) -> None:
    token = api_token(client, "operator1")
    me = client.get("/api/v1/auth/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "operator1"
    assert body["assignments"] == [
        {
            "role": "operator",
            "centre": "AST-01",
            "department": None,
            "region": None,
            "windows": [1, 2, 3, 4],
        }
    ]
    assert body["permissions"] == ["serve_tickets"]


def test_tokens_are_stored_only_as_a_hash(client: Client, demo: None) -> None:
    token = api_token(client, "operator1")
    stored = ApiToken.objects.get(user__username="operator1")
    assert stored.key_hash == hash_token(token)
    assert token not in stored.key_hash
    assert AuditEntry.objects.filter(action="accounts.api_token_issued").count() == 1


def test_a_wrong_password_answers_401_and_issues_nothing(client: Client, demo: None) -> None:
    response = _post(
        client, {"username": "operator1", "password": "wrong"}, **{"accept-language": "ru"}
    )
    assert response.status_code == 401  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "bad_credentials"
    assert body["detail"] == "Неверное имя пользователя или пароль."
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["not json", "[]", {"username": "operator1"}, {"username": "", "password": "x"}, {}],
)
def test_a_malformed_token_request_answers_422_and_issues_nothing(
    client: Client, demo: None, body: object
) -> None:
    response = _post(client, body, **{"accept-language": "kk"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["code"] in {"invalid", "invalid_json"}  # type: ignore[attr-defined]
    assert not ApiToken.objects.exists()


def test_a_missing_field_is_reported_in_kazakh(client: Client, demo: None) -> None:
    response = _post(client, {"username": "operator1"}, **{"accept-language": "kk"})
    detail = response.json()["detail"]  # type: ignore[attr-defined]
    assert "password" in detail
    assert "міндетті" in detail


def test_an_expired_token_is_refused(client: Client, demo: None) -> None:
    token = api_token(client, "analyst1")
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        response = client.get("/api/v1/auth/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_revoked_token_is_refused(client: Client, demo: None) -> None:
    token = api_token(client, "analyst1")
    auth = {"authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=auth).status_code == 204
    assert client.get("/api/v1/auth/me", headers=auth).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_deactivated_user_loses_api_access_at_once(client: Client, demo: None) -> None:
    token = api_token(client, "analyst1")
    ApiToken.objects.get().user.__class__.objects.filter(username="analyst1").update(
        is_active=False
    )
    response = client.get("/api/v1/auth/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_no_token_or_a_made_up_token_answers_401(client: Client, demo: None) -> None:
    assert client.get("/api/v1/auth/me").status_code == 401
    made_up = {"authorization": "Bearer not-a-token"}
    assert client.get("/api/v1/auth/me", headers=made_up).status_code == 401


def test_the_demo_password_is_what_the_readme_says(client: Client, demo: None) -> None:
    assert PASSWORD == "onestop-demo"
    for username in ("admin", "operator3", "head_mj1", "reviewer1"):
        assert api_token(client, username)
