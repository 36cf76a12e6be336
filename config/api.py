"""The REST API under /api/v1/ and its error mapping (DESIGN §5: `{"detail", "code"}`, 4xx)."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from onestop.accounts.api import router as auth_router
from onestop.cases.api import router as cases_router
from onestop.catalog.api import router as catalog_router
from onestop.centres.api import router as centres_router
from onestop.core.errors import OneStopError
from onestop.feedback.api import router as feedback_router
from onestop.feedback.api_complaints import router as complaints_router
from onestop.monitoring.api import router as stats_router
from onestop.monitoring.api_alerts import router as alerts_router
from onestop.monitoring.api_deadlines import router as deadlines_router
from onestop.monitoring.api_live import router as live_stats_router
from onestop.monitoring.api_reports import router as reports_router
from onestop.notify.api_inbound import router as sms_inbound_router
from onestop.queue.api import router as queue_router
from onestop.queue.api_bookings import router as bookings_router


class UnicodeJSONRenderer(JSONRenderer):
    """Kazakh and Russian names as text, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UnicodeJSONRenderer(),
    title="OneStop API",
    version="1",
    description=(
        "Public service centres: catalogue, centres, queue, applications. Names come in the "
        "language asked for (`?lang=kk|ru|en` or `Accept-Language`); all three are included. "
        "Errors are JSON `{detail, code}`."
    ),
    urls_namespace="api-v1",
)
api.add_router("/auth", auth_router, tags=["auth"])
api.add_router("/services", catalog_router, tags=["catalogue"])
api.add_router("/centres", centres_router, tags=["centres"])
api.add_router("", bookings_router, tags=["bookings"])
api.add_router("", queue_router, tags=["queue"])
api.add_router("", cases_router, tags=["applications"])
api.add_router("", feedback_router, tags=["feedback"])
api.add_router("", complaints_router, tags=["complaints"])
api.add_router("", sms_inbound_router, tags=["sms"])
api.add_router("/stats", live_stats_router, tags=["monitoring"])
api.add_router("/stats", stats_router, tags=["monitoring"])
api.add_router("/stats", deadlines_router, tags=["monitoring"])
api.add_router("/stats", reports_router, tags=["monitoring"])
api.add_router("/stats", alerts_router, tags=["monitoring"])


class HealthOut(Schema):
    status: str
    database: str


@api.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    tags=["operations"],
    summary="Liveness and database reachability, for load balancers and monitors",
)
def health(request: HttpRequest) -> Status[HealthOut]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Status(503, HealthOut(status="unavailable", database="unreachable"))
    return Status(200, HealthOut(status="ok", database="ok"))


def _error(request: HttpRequest, status: int, detail: str, code: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


@api.exception_handler(OneStopError)
def onestop_error(request: HttpRequest, exc: OneStopError) -> HttpResponse:
    body = {"detail": exc.detail, "code": exc.code, **exc.extra()}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or _("request")
        problems.append(f"{where}: {_problem(error)}")
    detail = _("The request is not valid: %(problems)s") % {"problems": "; ".join(problems)}
    return _error(request, 422, detail, "invalid")


def _problem(error: dict[str, Any]) -> str:
    """Pydantic's messages are English only: say the common ones in the request's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("this field is required")
    if kind in {"json_invalid", "model_attributes_type", "dict_type"}:
        return _("the body must be a JSON object")
    if kind == "string_type":
        return _("must be text")
    if kind in {"int_type", "int_parsing"}:
        return _("must be a whole number")
    if kind == "literal_error":
        return _("must be one of %(allowed)s") % {"allowed": ctx.get("expected", "")}
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("is too long")
    return str(error.get("msg", kind))


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, _("Sign in: send a valid token as 'Authorization: Bearer …'."), "unauthorized"
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # Ninja answers an unparsable body with 400 and an English parser message; the
        # contract is a 422 in the caller's language.
        return _error(request, 422, _("The request body is not valid JSON."), "invalid_json")
    return _error(request, exc.status_code, str(exc), "error")
