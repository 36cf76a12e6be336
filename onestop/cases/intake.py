"""Intake at the window: the applicant identified, the standard's checklist checked (with
the documents the centre obtains by IIN itself), the fee taken, consent recorded — and the
visit's applications registered and routed together, or none of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.cases import domain, notices
from onestop.cases.models import Application, ApplicationCounter, ApplicationDocument, DocumentState
from onestop.cases.registries import registry
from onestop.cases.services import decide_at_counter, record, route
from onestop.catalog.domain import DocumentSource, Locality
from onestop.catalog.models import Service, UrgencyTier
from onestop.centres.models import Centre
from onestop.core import clock, sql
from onestop.core.errors import InvalidInput
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.core.selectors import fee_in_tenge, working_calendar
from onestop.notify.domain import normalise_kz_phone
from onestop.queue.models import Ticket


@dataclass(frozen=True)
class Applicant:
    """Who the application is for, as the operator confirmed it on screen."""

    iin: str
    name: str
    birth_date: date
    identity_confirmed: bool
    representative_name: str = ""
    representative_iin: str = ""
    power_of_attorney: str = ""
    phone: str = ""
    email: str = ""
    language: str = "kk"


@dataclass(frozen=True)
class Intake:
    """One service asked for in the visit: the documents the citizen presented and how."""

    service: Service
    presented: frozenset[str] = field(default_factory=frozenset)  # document codes
    urgency_working_days: int | None = None
    payment_reference: str = ""
    # Where the standard allows it, the operator decides during the visit.
    counter_decision: domain.Decision | None = None


class DocumentsMissing(InvalidInput):
    """Nothing is registered: the citizen takes home the list of what is missing."""

    def __init__(self, missing: dict[str, list[str]]) -> None:
        super().__init__(
            _("Documents are missing: the application cannot be accepted."),
            code="documents_missing",
        )
        self.missing = missing  # service code -> document codes

    def extra(self) -> dict[str, Any]:
        return {"missing": self.missing}


def _check_applicant(applicant: Applicant) -> str:
    try:
        person = parse_iin(applicant.iin.strip())
    except InvalidIIN:
        raise InvalidInput(
            _("This IIN is not valid: check the 12 digits."), code="invalid_iin"
        ) from None
    if not applicant.identity_confirmed:
        # A typo in the 11th digit can still pass the check digit: a person confirms.
        raise InvalidInput(
            _("Confirm the applicant's name and date of birth against the identity document."),
            code="identity_not_confirmed",
        )
    if person.birth_date != applicant.birth_date:
        raise InvalidInput(
            _("The date of birth does not match the IIN: check the IIN."), code="iin_mismatch"
        )
    if not applicant.name.strip():
        raise InvalidInput(_("Enter the applicant's full name."), code="name_required")
    if applicant.representative_name.strip():
        if not applicant.power_of_attorney.strip():
            raise InvalidInput(
                _("A representative needs a power of attorney: enter its number."),
                code="power_of_attorney_required",
            )
        try:
            parse_iin(applicant.representative_iin.strip())
        except InvalidIIN:
            raise InvalidInput(
                _("The representative's IIN is not valid."), code="invalid_representative_iin"
            ) from None
    if applicant.language not in ("kk", "ru", "en"):
        raise InvalidInput(_("Unknown language."), code="invalid_language")
    if applicant.phone.strip() and normalise_kz_phone(applicant.phone) is None:
        raise InvalidInput(
            _("Enter a Kazakhstan mobile number, e.g. +7 701 234 56 78."), code="invalid_phone"
        )
    return person.value


def _tier(service: Service, centre: Centre, working_days: int | None) -> UrgencyTier | None:
    if working_days is None:
        return None
    tier = (
        UrgencyTier.objects.filter(service=service, working_days=working_days)
        .filter(Q(locality=Locality.ANY) | Q(locality=centre.level))
        .order_by("locality")
        .first()
    )
    if tier is None:
        raise InvalidInput(
            _("This service has no urgent option of %(days)s working days here."),
            code="no_such_urgency",
            days=working_days,
        )
    return tier


# Documents that only a representative brings: nobody asks an applicant in person for them.
REPRESENTATIVE_ONLY = frozenset({"power_of_attorney"})


def _documents(
    intake: Intake, iin: str, *, represented: bool
) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(document id, state, registry reference) for each required document, and the codes
    of those missing. Registry documents are fetched by IIN, never asked for."""
    rows: list[tuple[int, str, str]] = []
    missing: list[str] = []
    adapter = registry()
    for required in intake.service.documents.select_related("registry").order_by("order"):
        if required.code in REPRESENTATIVE_ONLY and not represented:
            continue
        if required.source == DocumentSource.REGISTRY and required.registry is not None:
            found = adapter.document(required.registry.code, required.code, iin)
            if found is not None:
                rows.append((required.pk, DocumentState.OBTAINED, found.reference))
                continue
            if required.code not in intake.presented:
                missing.append(required.code)
                continue
        elif required.code not in intake.presented:
            missing.append(required.code)
            continue
        rows.append((required.pk, DocumentState.PRESENTED, ""))
    return rows, missing


def register_applications(
    *,
    operator: User,
    centre: Centre,
    applicant: Applicant,
    intakes: list[Intake],
    consent: bool,
    ticket: Ticket | None = None,
    idempotency_key: str | None = None,
) -> list[Application]:
    """Open the visit's applications (one per service, e.g. a life-event bundle's) in one
    transaction: all are registered and routed, or — if anything is missing — none."""
    if not intakes:
        raise InvalidInput(_("Choose at least one service."), code="no_service")
    if idempotency_key:
        earlier = list(
            Application.objects.filter(centre=centre, idempotency_key=idempotency_key)
            .select_related("service", "department", "centre")
            .order_by("number")
        )
        if earlier:
            return earlier
    iin = _check_applicant(applicant)
    if not consent:
        raise InvalidInput(
            _("The applicant's consent to the processing of personal data is required."),
            code="consent_required",
        )
    codes = [i.service.code for i in intakes]
    if len(set(codes)) != len(codes):
        raise InvalidInput(_("Each service once per visit."), code="duplicate_service")
    documents: dict[str, list[tuple[int, str, str]]] = {}
    missing: dict[str, list[str]] = {}
    for intake in intakes:
        if not intake.service.is_active:
            raise InvalidInput(_("This service is not offered."), code="service_inactive")
        if intake.counter_decision is not None and not intake.service.counter_decision_allowed:
            raise InvalidInput(
                _("This service's standard does not allow a decision at the counter."),
                code="counter_decision_not_allowed",
            )
        documents[intake.service.code], lacking = _documents(
            intake, iin, represented=bool(applicant.representative_name.strip())
        )
        if lacking:
            missing[intake.service.code] = lacking
    if missing:
        raise DocumentsMissing(missing)
    now = clock.now()
    calendar = working_calendar()
    phone = normalise_kz_phone(applicant.phone) or ""
    created: list[Application] = []
    try:
        with transaction.atomic():
            visit = None
            for intake in intakes:
                service = intake.service
                tier = _tier(service, centre, intake.urgency_working_days)
                fee_mci = domain.fee_mci(service.fee_mci, tier.fee_mci if tier else None)
                fee = fee_in_tenge(fee_mci) if fee_mci else Decimal(0)
                if fee is None:
                    raise InvalidInput(
                        _("This year's MCI is not set: the fee cannot be computed."),
                        code="mci_missing",
                    )
                if fee and not intake.payment_reference.strip():
                    raise InvalidInput(
                        _("Record the payment of the fee (%(fee)s ₸) first."),
                        code="fee_unpaid",
                        fee=f"{fee:,.0f}".replace(",", " "),
                    )
                sequence = sql.bump_counter(
                    ApplicationCounter, {"centre": centre, "day": clock.today()}
                )
                case = Application(
                    number=domain.application_number(centre.code, clock.today(), sequence),
                    centre=centre,
                    service=service,
                    department=service.department,
                    region_id=centre.region_id,
                    ticket=ticket,
                    applicant_iin=iin,
                    applicant_name=applicant.name.strip()[:200],
                    applicant_birth_date=applicant.birth_date,
                    representative_name=applicant.representative_name.strip()[:200],
                    representative_iin=applicant.representative_iin.strip(),
                    power_of_attorney=applicant.power_of_attorney.strip()[:100],
                    language=applicant.language,
                    phone=phone,
                    email=applicant.email.strip(),
                    consent_at=now,
                    urgency_working_days=tier.working_days if tier else None,
                    fee_mci=fee_mci,
                    fee_tenge=fee,
                    paid_at=now if fee else None,
                    payment_reference=intake.payment_reference.strip()[:60],
                    registered_at=now,
                    deadline_at=domain.deadline(
                        calendar,
                        now,
                        value=service.deadline_value,
                        unit=service.deadline_unit,
                        urgency_working_days=tier.working_days if tier else None,
                    ),
                    operator=operator,
                    idempotency_key=idempotency_key or None,
                )
                if visit is not None:
                    case.visit = visit
                case.save()
                visit = case.visit
                ApplicationDocument.objects.bulk_create(
                    ApplicationDocument(
                        application=case, document_id=doc, state=state, registry_reference=ref
                    )
                    for doc, state, ref in documents[service.code]
                )
                record(case, "registered", operator, fee_tenge=str(fee))
                if intake.counter_decision is not None:
                    decide_at_counter(case, operator, intake.counter_decision)
                else:
                    route(case, actor=operator)
                    transaction.on_commit(partial(notices.registered, case_id=case.pk))
                created.append(case)
    except IntegrityError:
        if idempotency_key:  # the same key raced in from a retry: answer with the first
            earlier = list(
                Application.objects.filter(centre=centre, idempotency_key=idempotency_key)
                .select_related("service", "department", "centre")
                .order_by("number")
            )
            if earlier:
                return earlier
        raise
    return created
