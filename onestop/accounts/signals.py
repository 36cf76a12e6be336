"""Sign-ins, sign-outs and failed attempts go to the audit trail (who touched the system)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from onestop.accounts.models import User
from onestop.audit import services as audit


def _client(request: HttpRequest | None) -> dict[str, str]:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", ""), "path": request.path}


@receiver(user_logged_in)
def record_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(actor=user, action="accounts.signed_in", target=user, data=_client(request))


@receiver(user_logged_out)
def record_logout(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is None:
        return
    with transaction.atomic():
        audit.record(actor=user, action="accounts.signed_out", target=user, data=_client(request))


@receiver(user_login_failed)
def record_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username: the password Django passes in `credentials` is already masked, but
    # nothing of it belongs in a log.
    with transaction.atomic():
        audit.record(
            actor=None,
            action="accounts.sign_in_failed",
            object_type="accounts.user",
            object_id=str(credentials.get("username", ""))[:80],
            data=_client(request),
        )
