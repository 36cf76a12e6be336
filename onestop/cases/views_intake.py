"""The operator's intake page: open the visit's applications while serving a ticket.

One page in steps, each a POST that re-renders it (no auto-refresh: the desk refreshes
itself every few seconds, which would wipe a half-filled form): find the person in the
registry and confirm their identity, choose the services (or a life-event bundle), tick the
documents presented, take the fee, record consent, register. Missing documents → the list
to print, nothing registered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from onestop.accounts.models import User
from onestop.cases import access, domain, intake, printouts, selectors, services
from onestop.cases.registries import registry
from onestop.catalog.models import LifeEventBundle, RequiredDocument, Service
from onestop.centres import selectors as centres
from onestop.centres.models import Centre
from onestop.core import clock
from onestop.core.errors import OneStopError
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.core.selectors import fee_in_tenge
from onestop.queue.models import Ticket


@dataclass
class ServiceForm:
    """One chosen service on the page: its checklist and its fee."""

    service: Service
    documents: list[RequiredDocument]
    fee_tenge: Decimal
    tiers: list[tuple[int, Decimal | None]]  # (working days, fee in tenge)
    presented: set[str]  # what the form had ticked
    urgency: str
    payment: str
    decide_now: str  # "", "approve" or "refuse": a decision at the counter, where allowed
    result_number: str
    ground: str


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _offered(centre: Centre) -> list[Service]:
    return list(
        Service.objects.filter(windows__centre=centre, is_active=True)
        .select_related("life_situation")
        .distinct()
        .order_by("life_situation__order", "code")
    )


def _chosen(post: Any, offered: list[Service]) -> list[Service]:
    codes = set(post.getlist("service"))
    bundle = LifeEventBundle.objects.filter(code=post.get("bundle", "")).first()
    if bundle is not None:
        codes |= set(bundle.items.values_list("service__code", flat=True))
    return [s for s in offered if s.code in codes]


def _forms(chosen: list[Service], centre: Centre, post: Any) -> list[ServiceForm]:
    forms = []
    for service in chosen:
        documents = list(service.documents.select_related("registry").order_by("order"))
        fee = fee_in_tenge(service.fee_mci) or Decimal(0)
        tiers: list[tuple[int, Decimal | None]] = [
            (tier.working_days, fee_in_tenge(tier.fee_mci))
            for tier in service.urgency_tiers.filter(locality__in=["any", centre.level])
        ]
        code = service.code
        forms.append(
            ServiceForm(
                service=service,
                documents=documents,
                fee_tenge=fee,
                tiers=tiers,
                presented=set(post.getlist(f"doc_{code}")),
                urgency=post.get(f"urgency_{code}", ""),
                payment=post.get(f"payment_{code}", ""),
                decide_now=post.get(f"decide_{code}", ""),
                result_number=post.get(f"result_{code}", ""),
                ground=post.get(f"ground_{code}", ""),
            )
        )
    return forms


def _applicant(post: Any) -> intake.Applicant:
    try:
        birth = date.fromisoformat(post.get("birth_date", ""))
    except ValueError:
        birth = date.min
    return intake.Applicant(
        iin=post.get("iin", "").strip(),
        name=post.get("name", "").strip(),
        birth_date=birth,
        identity_confirmed=post.get("identity_confirmed") == "on",
        representative_name=post.get("representative_name", ""),
        representative_iin=post.get("representative_iin", ""),
        power_of_attorney=post.get("power_of_attorney", ""),
        phone=post.get("phone", ""),
        email=post.get("email", ""),
        language=post.get("language", "kk"),
    )


def _intakes(forms: list[ServiceForm]) -> list[intake.Intake]:
    return [
        intake.Intake(
            service=form.service,
            presented=frozenset(form.presented),
            urgency_working_days=int(form.urgency) if form.urgency.isdigit() else None,
            payment_reference=form.payment,
            counter_decision=(
                domain.Decision(
                    decision=form.decide_now,
                    result_number=form.result_number,
                    ground=form.ground,
                )
                if form.decide_now and form.service.counter_decision_allowed
                else None
            ),
        )
        for form in forms
    ]


@login_required
@require_http_methods(["GET", "POST"])
def intake_page(request: HttpRequest, centre: str) -> HttpResponse:
    user = _user(request)
    try:
        place = centres.centre_named(centre)
        access.check_may_register(user, place)
    except OneStopError as problem:
        return render(request, "cases/intake_denied.html", {"error": problem.detail}, status=403)
    offered = _offered(place)
    post = request.POST
    step = post.get("step", "")
    ticket_id = post.get("ticket") or request.GET.get("ticket", "")
    context: dict[str, Any] = {
        "centre": place,
        "offered": offered,
        "bundles": LifeEventBundle.objects.order_by("code"),
        "ticket": ticket_id,
        "values": post,
        "chosen_codes": set(post.getlist("service")),
        "person": None,
        "forms": [],
        "error": "",
        "missing": {},
        "created": [],
    }
    status = 200
    if step in {"lookup", "checklist", "register"}:
        iin = post.get("iin", "").strip()
        try:
            parse_iin(iin)
            context["person"] = registry().person(iin)
        except InvalidIIN:
            context["error"] = translation.gettext("This IIN is not valid: check the 12 digits.")
            status = 422
    if step in {"checklist", "register"} and not context["error"]:
        context["forms"] = _forms(_chosen(post, offered), place, post)
        context["form_key"] = post.get("form_key") or uuid.uuid4().hex
    if step == "register" and not context["error"]:
        ticket = Ticket.objects.filter(pk=ticket_id, centre=place).first() if ticket_id else None
        try:
            created = intake.register_applications(
                operator=user,
                centre=place,
                applicant=_applicant(post),
                intakes=_intakes(context["forms"]),
                consent=post.get("consent") == "on",
                ticket=ticket,
                idempotency_key=post.get("form_key") or None,
            )
            context["created"] = created
        except intake.DocumentsMissing as problem:
            context["error"], status = problem.detail, problem.status
            context["missing"] = _named_missing(problem.missing)
        except OneStopError as problem:
            context["error"], status = problem.detail, problem.status
    return render(request, "cases/intake.html", context, status=status)


def _named_missing(missing: dict[str, list[str]]) -> dict[Service, list[RequiredDocument]]:
    named: dict[Service, list[RequiredDocument]] = {}
    for code, documents in missing.items():
        service = Service.objects.get(code=code)
        named[service] = list(service.documents.filter(code__in=documents).order_by("order"))
    return named


@login_required
@require_http_methods(["POST"])
def missing_sheet(request: HttpRequest, centre: str) -> HttpResponse:
    """The printed list of what is missing, in the citizen's language (nothing registered)."""
    user = _user(request)
    try:
        place = centres.centre_named(centre)
        access.check_may_register(user, place)
    except OneStopError as problem:
        return render(request, "cases/intake_denied.html", {"error": problem.detail}, status=403)
    service = Service.objects.filter(code=request.POST.get("service", "")).first()
    language = request.POST.get("language", "kk")
    if service is None or language not in ("kk", "ru", "en"):
        error = translation.gettext("Choose the service and the citizen's language.")
        return render(request, "cases/intake_denied.html", {"error": error}, status=422)
    codes = request.POST.getlist("document")
    with translation.override(language):
        sheet = printouts.MissingDocuments(
            language=language,
            centre_name=place.name,
            service_name=service.name,
            printed_at=clock.now(),
            missing=[d.name for d in service.documents.filter(code__in=codes).order_by("order")],
            grounds=[g.localized("text") for g in service.refusal_grounds.order_by("order")],
        )
    response = HttpResponse(printouts.missing_documents_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="missing-documents.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def issue_page(request: HttpRequest, centre: str) -> HttpResponse:
    """Hand a result over: find the case by number (or the applicant's IIN), check the
    identity document of whoever collects it, record the issue. A case returned for
    documents is sent back to its officer here when the citizen brings them."""
    user = _user(request)
    try:
        place = centres.centre_named(centre)
        access.check_may_register(user, place)
    except OneStopError as problem:
        return render(request, "cases/intake_denied.html", {"error": problem.detail}, status=403)
    number = (request.POST.get("number") or request.GET.get("number", "")).strip().upper()[:40]
    by_iin = request.POST.get("applicant_iin", "").strip()[:12]
    context: dict[str, Any] = {
        "centre": place,
        "number": number,
        "found": [],
        "issued": None,
        "resubmitted": None,
    }
    status = 200
    try:
        if request.method == "POST" and request.POST.get("step") == "issue":
            case = selectors.application_numbered(number)
            access.check_may_view(user, case)
            access.check_may_serve(user, case)
            services.issue_result(case=case, operator=user, iin=request.POST.get("iin", ""))
            context["issued"] = case
        elif request.method == "POST" and request.POST.get("step") == "resubmit":
            case = selectors.application_numbered(number)
            access.check_may_view(user, case)
            access.check_may_serve(user, case)
            services.resubmit(case=case, operator=user)
            context["resubmitted"] = case
        elif by_iin:
            context["found"] = list(selectors.results_waiting(place, applicant_iin=by_iin))
        elif number:
            case = selectors.application_numbered(number)
            access.check_may_view(user, case)
            context["found"] = [case] if case.centre_id == place.pk else []
    except OneStopError as problem:
        context["error"], status = problem.detail, problem.status
    for shown in context["found"]:  # personal data on screen: in the citizen's access log
        services.record_view(shown, user)
    return render(request, "cases/issue.html", context, status=status)
