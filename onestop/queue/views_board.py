"""The display board: its page for the hall's TV, its JSON snapshot and its live event stream.

Plain Django views (not the ninja API): the stream is an async view that must stream under
ASGI, and the board is public, read-only and without personal data."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core.errors import NotFound
from onestop.events import streams
from onestop.queue.board import board_of


def _not_found(error: NotFound) -> JsonResponse:
    return JsonResponse({"detail": error.detail, "code": error.code}, status=error.status)


@require_GET
def board_page(request: HttpRequest, centre: str) -> HttpResponse:
    try:
        found = centres.centre_by_code(centre)
    except NotFound as error:
        raise Http404(error.detail) from None
    return render(request, "queue/board.html", {"centre": found})


@require_GET
def board_snapshot(request: HttpRequest, centre: str) -> HttpResponse:
    try:
        found = centres.centre_by_code(centre)
    except NotFound as error:
        return _not_found(error)
    response = JsonResponse(board_of(found).as_json(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


async def centre_events(request: HttpRequest, centre: str) -> HttpResponse | StreamingHttpResponse:
    """`text/event-stream` of the centre's public queue events, resumable by Last-Event-ID."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        found: Centre = await sync_to_async(centres.centre_by_code)(centre)
    except NotFound as error:
        return _not_found(error)
    last_id = streams.parse_last_event_id(
        request.headers.get("Last-Event-ID"), request.GET.get("last_event_id")
    )
    response = StreamingHttpResponse(
        streams.centre_stream(found.code, last_id), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
