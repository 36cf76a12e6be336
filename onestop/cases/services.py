"""Writes to applications: intake at the window, routing and assignment, the back office's
decisions, the result's way back to the citizen. One transaction each, with its audit entries
and events; a case changes state only by a conditional UPDATE on the state it was read in,
so two people acting at once cannot both move it. Messages to the citizen go after commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit import services as audit
from onestop.cases import domain, notices
from onestop.cases.domain import CaseAction, CaseStatus
from onestop.cases.models import Application, ApplicationCounter, ApplicationDocument, DocumentState
from onestop.cases.registries import registry
from onestop.catalog.domain import DocumentSource, Locality
from onestop.catalog.models import Department, RefusalGround, Service, UrgencyTier
from onestop.centres.models import Centre
from onestop.core import clock, sql
from onestop.core.errors import Conflict, InvalidInput
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.core.selectors import fee_in_tenge, working_calendar
from onestop.events import services as events
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


def _payload(case: Application, **extra: Any) -> dict[str, Any]:
    return {
        "number": case.number,
        "status": case.status,
        "service": case.service.code,
        "department": case.department.code,
        **extra,
    }


def _record(case: Application, action: str, actor: User | None, **data: Any) -> None:
    """The event and the audit entry of a change, the audit last (it locks the chain head)."""
    events.publish(
        topic=f"cases.application.{action}",
        payload=_payload(case, **data),
        centre_code=case.centre.code,
    )
    audit.record(
        actor=actor,
        action=f"cases.application_{action}",
        target=case,
        data={"number": case.number, "status": case.status, **data},
    )


def _conflict(case: Application, action: CaseAction) -> Conflict:
    return Conflict(
        _("An application that is “%(status)s” cannot be given “%(action)s”."),
        code="illegal_transition",
        status=CaseStatus(case.status).label,
        action=action.label,
    )


def _move(
    case: Application,
    action: CaseAction,
    *,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Move the case by `action` if its state allows it, against anyone acting at once."""
    new = domain.next_status(CaseStatus(case.status), action)
    if new is None:
        raise _conflict(case, action)
    fields = {"status": new, **(changes or {})}
    moved = sql.update_returning(
        Application,
        where={"id": case.pk, "status": case.status},
        changes=fields,
        returning=("status",),
    )
    if moved is None:
        case.refresh_from_db()
        raise _conflict(case, action)
    for name, value in fields.items():
        setattr(case, name, value)
    _record(case, action.value, actor, **(data or {}))


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


def _documents(intake: Intake, iin: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(document id, state, registry reference) for each required document, and the codes
    of those missing. Registry documents are fetched by IIN, never asked for."""
    rows: list[tuple[int, str, str]] = []
    missing: list[str] = []
    adapter = registry()
    for required in intake.service.documents.select_related("registry").order_by("order"):
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
        documents[intake.service.code], lacking = _documents(intake, iin)
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
                _record(case, "registered", operator, fee_tenge=str(fee))
                _route(case, actor=operator)
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


def _officers_by_load(case: Application) -> list[domain.Officer]:
    """The back-office officers of the case's department (and region, where their role is
    narrowed to one) with their open cases."""
    officer_ids = set(
        RoleAssignment.objects.filter(
            role=Role.BACKOFFICE_OFFICER,
            department_id=case.department_id,
            user__is_active=True,
        )
        .filter(Q(region__isnull=True) | Q(region_id=case.region_id))
        .values_list("user_id", flat=True)
    )
    load = dict(
        Application.objects.filter(
            assigned_to_id__in=officer_ids, status__in=domain.OPEN_IN_BACK_OFFICE
        )
        .values("assigned_to_id")
        .annotate(n=Count("id"))
        .values_list("assigned_to_id", "n")
    )
    return [domain.Officer(id=uid, open_cases=load.get(uid, 0)) for uid in sorted(officer_ids)]


def _route(case: Application, *, actor: User | None) -> None:
    """To the department's back office, to the officer with the least work."""
    chosen = domain.least_loaded(_officers_by_load(case))
    _move(
        case,
        CaseAction.ROUTE,
        actor=actor,
        changes={"assigned_to_id": chosen.id if chosen else None},
        data={"officer": chosen.id if chosen else None},
    )


def decide(
    *,
    case: Application,
    officer: User,
    decision: str,
    result_number: str = "",
    ground: str = "",
    text: str = "",
) -> Application:
    """The back office's decision: approve (with the result document's number), refuse (on
    one of the standard's grounds), or return for more documents (the clock stops)."""
    if case.assigned_to_id != officer.pk:
        raise Conflict(_("This application is assigned to another officer."), code="not_your_case")
    now = clock.now()
    with transaction.atomic():
        if decision == "approve":
            if not result_number.strip():
                raise InvalidInput(
                    _("Enter the number of the result document."), code="result_number_required"
                )
            _move(
                case,
                CaseAction.APPROVE,
                actor=officer,
                changes={
                    "decided_at": now,
                    "decided_by": officer,
                    "result_number": result_number.strip()[:60],
                },
                data={"result_number": result_number.strip()[:60]},
            )
            _deliver(case, actor=officer)
        elif decision == "refuse":
            chosen = RefusalGround.objects.filter(service=case.service, code=ground).first()
            if chosen is None:
                raise InvalidInput(
                    _("Choose a ground for refusal from the service's standard."),
                    code="ground_required",
                )
            _move(
                case,
                CaseAction.REFUSE,
                actor=officer,
                changes={
                    "decided_at": now,
                    "decided_by": officer,
                    "refusal_ground": chosen,
                    "refusal_text": text.strip()[:2000],
                },
                data={"ground": chosen.code},
            )
            _deliver(case, actor=officer)
        elif decision == "return":
            if not text.strip():
                raise InvalidInput(
                    _("Say which documents are needed."), code="return_note_required"
                )
            _move(
                case,
                CaseAction.RETURN,
                actor=officer,
                changes={"returned_at": now, "return_note": text.strip()[:500]},
                data={"note": text.strip()[:500]},
            )
            transaction.on_commit(partial(notices.returned, case_id=case.pk))
        else:
            raise InvalidInput(
                _("The decision is one of: approve, refuse, return."), code="invalid_decision"
            )
    return case


def _deliver(case: Application, *, actor: User | None) -> None:
    """The result goes to the centre where the citizen applied; they are told to collect it."""
    _move(case, CaseAction.DELIVER, actor=actor, changes={"result_ready_at": clock.now()})
    transaction.on_commit(partial(notices.result_ready, case_id=case.pk))


def resubmit(*, case: Application, operator: User) -> Application:
    """The citizen brought what was missing: back to the same officer, the deadline moved by
    the working days the documents were with the citizen."""
    if case.returned_at is None:
        raise _conflict(case, CaseAction.RESUBMIT)
    now = clock.now()
    moved = domain.deadline_after_resubmission(
        working_calendar(), case.deadline_at, returned_at=case.returned_at, resubmitted_at=now
    )
    with transaction.atomic():
        _move(
            case,
            CaseAction.RESUBMIT,
            actor=operator,
            changes={"deadline_at": moved},
            data={"deadline": moved.isoformat()},
        )
    return case


def forward(*, case: Application, officer: User, department: Department, reason: str) -> None:
    """To another department's back office (the service was another's), reassigned there."""
    if case.assigned_to_id != officer.pk:
        raise Conflict(_("This application is assigned to another officer."), code="not_your_case")
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), code="reason_required")
    if department.pk == case.department_id:
        raise InvalidInput(_("Choose another department."), code="same_department")
    with transaction.atomic():
        case.department = department
        target = Application(pk=case.pk, department=department, region_id=case.region_id)
        chosen = domain.least_loaded(_officers_by_load(target))
        _move(
            case,
            CaseAction.FORWARD,
            actor=officer,
            changes={"department": department, "assigned_to_id": chosen.id if chosen else None},
            data={"to": department.code, "reason": reason.strip()[:300]},
        )


def reassign(*, case: Application, head: User, officer: User, reason: str) -> None:
    """Only a department head moves a case to another officer, with a reason (audited)."""
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), code="reason_required")
    if case.status not in domain.OPEN_IN_BACK_OFFICE:
        raise Conflict(
            _("Only a case in the back office can be reassigned."), code="not_reassignable"
        )
    eligible = {o.id for o in _officers_by_load(case)}
    if officer.pk not in eligible:
        raise InvalidInput(
            _("That person is not an officer of this back office."), code="not_an_officer"
        )
    with transaction.atomic():
        updated = Application.objects.filter(pk=case.pk, status=case.status).update(
            assigned_to=officer
        )
        if not updated:
            case.refresh_from_db()
            raise Conflict(_("The application changed meanwhile: reload it."), code="stale")
        previous = case.assigned_to_id
        case.assigned_to = officer
        _record(
            case,
            "reassigned",
            head,
            previous=previous,
            officer=officer.pk,
            reason=reason.strip()[:300],
        )


def issue_result(*, case: Application, operator: User, iin: str) -> Application:
    """Hand the result over at the window, to the applicant or their representative."""
    presented = iin.strip()
    if presented not in {case.applicant_iin, case.representative_iin} or not presented:
        raise InvalidInput(
            _("The IIN does not match the applicant or their representative."),
            code="identity_mismatch",
        )
    with transaction.atomic():
        _move(case, CaseAction.ISSUE, actor=operator, changes={"issued_at": clock.now()})
    return case
