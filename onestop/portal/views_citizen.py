"""The citizen's own pages: sign-in by IIN and an SMS code, my applications (and rating an
issued result), my bookings, who viewed my data; and the development SMS inbox.

The IIN travels only in POST bodies and the server-side session, never in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.cases import selectors as cases
from onestop.core import clock
from onestop.core.errors import OneStopError
from onestop.core.i18n import current_language
from onestop.feedback import services as feedback
from onestop.feedback.domain import Channel, Criterion
from onestop.portal import access_citizen as access
from onestop.portal import identity, session
from onestop.portal import identity_domain as domain
from onestop.portal import selectors_citizen as selectors
from onestop.queue import selectors as queue

CitizenView = Callable[..., HttpResponse]


def citizen_page(view: CitizenView) -> CitizenView:
    """Only for an identified browser (others go to sign in); never cached anywhere."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            iin = access.citizen_iin(request)
        except OneStopError:
            return redirect("citizen:sign_in")
        return view(request, iin, *args, **kwargs)

    return never_cache(wrapped)


def _code_request(request: HttpRequest, iin: str) -> None:
    access.check_code_request_rate(request.META.get("REMOTE_ADDR", ""))
    identity.send_code(iin=iin, language=current_language())
    session.await_code(request, iin)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the IIN; a code goes by SMS to the number registered for it."""
    if session.identified_iin(request):
        return redirect("citizen:applications")
    dev_inbox = settings.DEV_INBOX
    context: dict[str, object] = {"iin": "", "error": "", "dev_inbox": dev_inbox}
    status = 200
    if request.method == "POST":
        iin = request.POST.get("iin", "").strip()[:20]
        context["iin"] = iin
        try:
            _code_request(request, iin)
            return redirect("citizen:code")
        except OneStopError as problem:
            if problem.code == "resend_too_soon":  # a code sent a moment ago is on its way
                session.await_code(request, iin)
                messages.info(request, problem.detail)
                return redirect("citizen:code")
            context["error"], status = problem.detail, problem.status
    return render(request, "portal/citizen/sign_in.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the SMS (or a new one)."""
    iin = session.pending_iin(request)
    if iin is None:
        return redirect("citizen:sign_in")
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "resend":
                _code_request(request, iin)
                messages.success(request, _("A new code has been sent."))
                return redirect("citizen:code")
            identity.verify_code(iin=iin, code=request.POST.get("code", "")[:20])
            session.remember(request, iin)
            return redirect("citizen:applications")
        except OneStopError as problem:
            error, status = problem.detail, problem.status
    sent = selectors.latest_code(iin)
    if sent is None:
        return redirect("citizen:sign_in")
    context = {
        "phone": domain.masked_phone(sent.phone),
        "minutes": domain.lifetime_minutes(identity.ttl_seconds()),
        "expires_at": sent.expires_at,
        "expired": domain.is_expired(sent.expires_at, clock.now()),
        "error": error,
    }
    return render(request, "portal/citizen/code.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session.forget(request)
    messages.success(request, _("You have signed out."))
    return redirect("citizen:sign_in")


@citizen_page
@require_GET
def my_applications(request: HttpRequest, iin: str) -> HttpResponse:
    context = {"applications": selectors.my_applications(iin), "section": "applications"}
    return render(request, "portal/citizen/applications.html", context)


@citizen_page
@require_http_methods(["GET", "POST"])
def rate_application(request: HttpRequest, iin: str, number: str) -> HttpResponse:
    """The citizen rates an issued result of theirs, once, on the portal."""
    try:
        case = cases.application_of_citizen(number, iin)
    except OneStopError:
        raise Http404 from None
    context: dict[str, object] = {
        "case": case,
        "criteria": Criterion.choices,
        "scale": range(1, 6),
        "chosen": {},
        "done": bool(selectors.rated_application_ids([case.pk])),
        "error": "",
        "section": "applications",
    }
    status = 200
    if request.method == "POST":  # a second rating is refused by the service, with 409
        raw = {name: request.POST.get(name, "") for name in Criterion.values}
        context["chosen"] = raw
        scores = {name: int(value) if value.isdigit() else 0 for name, value in raw.items()}
        try:
            feedback.rate_result(
                case=case,
                scores=scores,
                comment=request.POST.get("comment", "")[:2000],
                channel=Channel.PORTAL,
            )
            context["done"] = True
        except OneStopError as problem:
            context["error"], status = problem.detail, problem.status
    return render(request, "portal/citizen/rate.html", context, status=status)


@citizen_page
@require_GET
def my_bookings(request: HttpRequest, iin: str) -> HttpResponse:
    bookings = queue.bookings_of_citizen(iin)
    context = {"upcoming": bookings.upcoming, "past": bookings.past, "section": "bookings"}
    return render(request, "portal/citizen/bookings.html", context)


@citizen_page
@require_GET
def access_log(request: HttpRequest, iin: str) -> HttpResponse:
    context = {"lines": selectors.who_viewed_my_data(iin), "section": "access"}
    return render(request, "portal/citizen/access_log.html", context)


@never_cache
@require_GET
def dev_inbox(request: HttpRequest) -> HttpResponse:
    """What the demo SMS gateway "sent": the delivery log, for development only."""
    if not settings.DEV_INBOX:
        raise Http404
    phone = request.GET.get("phone", "").strip()[:20]
    context = {"sms": selectors.inbox(phone=phone), "phone": phone}
    return render(request, "portal/citizen/dev_inbox.html", context)
