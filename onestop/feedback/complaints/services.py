"""Writes to complaints: registration with its number and clock, assignment, the provider's
answer, the citizen's acceptance or dispute, escalation to a quality reviewer and the
reviewer's decision. One transaction each, with its audit entry and event; a complaint changes
state only by a conditional UPDATE on the state it was read in, so two people acting at once
cannot both move it. Messages to the citizen go after commit. Who may do what is decided by
`access` in the adapters before these are called."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit import services as audit
from onestop.cases.models import Application
from onestop.catalog.models import Department
from onestop.centres.models import Centre
from onestop.core import clock, sql
from onestop.core.errors import Conflict, InvalidInput, NotFound
from onestop.core.i18n import LANGUAGE_CODES
from onestop.core.iin import InvalidIIN, parse_iin
from onestop.core.selectors import working_calendar
from onestop.events import services as events
from onestop.feedback.complaints import domain, notices
from onestop.feedback.complaints.domain import (
    Against,
    Category,
    Channel,
    ComplaintAction,
    ComplaintStatus,
    EscalationReason,
    Outcome,
    Reviewer,
)
from onestop.feedback.complaints.models import Complaint, ComplaintCounter
from onestop.notify.domain import normalise_kz_phone


@dataclass(frozen=True)
class Citizen:
    """Who complains, and how to reach them with the answer."""

    iin: str
    name: str
    phone: str = ""
    email: str = ""
    language: str = "kk"
    identified: bool = False  # the IIN was proven by a one-time SMS code


@dataclass(frozen=True)
class Subject:
    """What the complaint is against: a centre, a department (optionally where: a centre),
    or one application (its centre and department follow from it)."""

    against: str
    centre: Centre | None = None
    department: Department | None = None
    application: Application | None = None


def _record(complaint: Complaint, action: str, actor: User | None, **data: Any) -> None:
    """The event and the audit entry of a change, the audit last (it locks the chain head).
    Neither carries the citizen's IIN, name or text."""
    centre_code = complaint.centre.code if complaint.centre else ""
    events.publish(
        topic=f"feedback.complaint.{action}",
        payload={
            "number": complaint.number,
            "status": complaint.status,
            "category": complaint.category,
            "centre": centre_code,
            "department": complaint.department.code if complaint.department else "",
        },
        centre_code=centre_code,
    )
    audit.record(
        actor=actor,
        action=f"feedback.complaint_{action}",
        target=complaint,
        data={"number": complaint.number, "status": complaint.status, **data},
    )


def _conflict(complaint: Complaint, action: ComplaintAction) -> Conflict:
    return Conflict(
        _("A complaint that is “%(status)s” cannot be given “%(action)s”."),
        code="illegal_transition",
        status=ComplaintStatus(complaint.status).label,
        action=action.label,
    )


def _move(
    complaint: Complaint,
    action: ComplaintAction,
    *,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Move the complaint by `action` if its state allows it, against anyone acting at once."""
    new = domain.next_status(ComplaintStatus(complaint.status), action)
    if new is None:
        raise _conflict(complaint, action)
    fields = {"status": new, "updated_at": clock.now(), **(changes or {})}
    moved = Complaint.objects.filter(pk=complaint.pk, status=complaint.status).update(**fields)
    if not moved:
        complaint.refresh_from_db()
        raise _conflict(complaint, action)
    for name, value in fields.items():
        setattr(complaint, name, value)
    _record(complaint, domain.DONE[action], actor, **(data or {}))


def _least_loaded(user_ids: set[int]) -> int | None:
    """Who gets the next complaint: the fewest open ones, then the lowest id (nobody picks)."""
    if not user_ids:
        return None
    load = dict(
        Complaint.objects.filter(assigned_to_id__in=user_ids, status__in=domain.OPEN)
        .values("assigned_to_id")
        .annotate(n=Count("id"))
        .values_list("assigned_to_id", "n")
    )
    return min(user_ids, key=lambda uid: (load.get(uid, 0), uid))


def _first_handler(complaint: Complaint) -> int | None:
    """The centre's manager, or the department's head (of the region, where narrowed)."""
    active = RoleAssignment.objects.filter(user__is_active=True)
    if complaint.reviewed_by == Reviewer.CENTRE:
        found = active.filter(role=Role.CENTRE_MANAGER, centre_id=complaint.centre_id or 0)
    else:
        found = active.filter(
            role=Role.DEPARTMENT_HEAD, department_id=complaint.department_id or 0
        ).filter(Q(region__isnull=True) | Q(region_id=complaint.region_id))
    return _least_loaded(set(found.values_list("user_id", flat=True)))


def _quality_reviewer() -> int | None:
    found = RoleAssignment.objects.filter(role=Role.QUALITY_REVIEWER, user__is_active=True)
    return _least_loaded(set(found.values_list("user_id", flat=True)))


def _text(value: str, *, required: str | Promise | None = None, code: str = "text_required") -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput(required, code=code)
    if len(text) > domain.MAX_TEXT:
        raise InvalidInput(
            _("The text is too long: at most %(limit)s characters."),
            code="text_too_long",
            limit=domain.MAX_TEXT,
        )
    return text


def _check_citizen(citizen: Citizen) -> str:
    try:
        iin = parse_iin(citizen.iin).value
    except InvalidIIN:
        raise InvalidInput(
            _("This IIN is not valid: check the 12 digits."), code="invalid_iin"
        ) from None
    if not citizen.name.strip():
        raise InvalidInput(_("Enter your full name."), code="name_required")
    if citizen.phone.strip() and normalise_kz_phone(citizen.phone) is None:
        raise InvalidInput(
            _("Enter a Kazakhstan mobile number, e.g. +7 701 234 56 78."), code="invalid_phone"
        )
    if citizen.email.strip():
        try:
            validate_email(citizen.email.strip())
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address."), code="invalid_email") from None
    if citizen.language not in LANGUAGE_CODES:
        raise InvalidInput(_("Unknown language."), code="invalid_language")
    return iin


def _where(subject: Subject, iin: str) -> tuple[Centre | None, Department | None]:
    """The centre and department a complaint is against, checked against its subject."""
    if subject.against == Against.CENTRE:
        if subject.centre is None:
            raise InvalidInput(_("Choose the centre."), code="centre_required")
        return subject.centre, None
    if subject.against == Against.DEPARTMENT:
        if subject.department is None:
            raise InvalidInput(_("Choose the department."), code="department_required")
        return subject.centre, subject.department
    if subject.against == Against.APPLICATION:
        case = subject.application
        if case is None:
            raise InvalidInput(_("Enter the application number."), code="application_required")
        if iin not in {case.applicant_iin, case.representative_iin}:
            # The same answer as for a number that does not exist: numbers are not probed.
            raise NotFound(
                _("No application matches this number and IIN."), code="application_not_found"
            )
        return case.centre, case.department
    raise InvalidInput(
        _("A complaint is against a centre, a department or an application."),
        code="invalid_against",
    )


def _earlier(iin: str, key: str | None) -> Complaint | None:
    if not key:
        return None
    return Complaint.objects.filter(iin=iin, idempotency_key=key).first()


def register_complaint(
    *,
    category: str,
    subject: Subject,
    description: str,
    citizen: Citizen,
    channel: str,
    consent: bool,
    registered_by: User | None = None,
    idempotency_key: str | None = None,
) -> Complaint:
    """Register a complaint with its number and the provider's clock, give it to the centre's
    manager or the department's head, and send the citizen its number and due date. A retry
    with the same idempotency key (and IIN) answers with the first complaint."""
    iin = _check_citizen(citizen)
    earlier = _earlier(iin, idempotency_key)
    if earlier is not None:
        return earlier
    if category not in Category.values:
        raise InvalidInput(_("Choose what the complaint is about."), code="invalid_category")
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), code="invalid_channel")
    text = _text(description, required=_("Describe what happened."), code="description_required")
    if not consent:
        raise InvalidInput(
            _("Your consent to the processing of personal data is required."),
            code="consent_required",
        )
    centre, department = _where(subject, iin)
    now = clock.now()
    reviewer = domain.reviewed_by(Against(subject.against), Category(category))
    try:
        with transaction.atomic():
            sequence = sql.bump_counter(ComplaintCounter, {"day": clock.today()})
            complaint = Complaint(
                number=domain.complaint_number(clock.today(), sequence),
                category=category,
                against=subject.against,
                reviewed_by=reviewer,
                centre=centre,
                department=department,
                region_id=centre.region_id if centre is not None else None,
                application=subject.application,
                description=text,
                channel=channel,
                iin=iin,
                name=citizen.name.strip()[:200],
                phone=normalise_kz_phone(citizen.phone) or "",
                email=citizen.email.strip(),
                language=citizen.language,
                identified=citizen.identified,
                consent_at=now,
                registered_by=registered_by,
                registered_at=now,
                due_at=domain.review_due(
                    working_calendar(), now, settings.COMPLAINT_REVIEW_WORKING_DAYS
                ),
                updated_at=now,
                idempotency_key=idempotency_key or None,
            )
            complaint.assigned_to_id = _first_handler(complaint)
            complaint.save()
            _record(
                complaint,
                "registered",
                registered_by,
                category=category,
                reviewed_by=reviewer,
                channel=channel,
                by="staff" if registered_by is not None else "citizen",
                assigned_to=complaint.assigned_to_id,
                due=complaint.due_at.isoformat(),
            )
            transaction.on_commit(partial(notices.registered, complaint_id=complaint.pk))
    except IntegrityError:
        earlier = _earlier(iin, idempotency_key)  # the same key raced in from a retry
        if earlier is not None:
            return earlier
        raise
    return complaint


def assign_complaint(*, complaint: Complaint, actor: User, assignee: User) -> Complaint:
    """Name who works on it (the provider's staff, or a reviewer once escalated)."""
    if assignee.pk == complaint.assigned_to_id:
        raise InvalidInput(_("The complaint is already with this person."), code="same_assignee")
    with transaction.atomic():
        previous = complaint.assigned_to_id
        _move(
            complaint,
            ComplaintAction.ASSIGN,
            actor=actor,
            changes={"assigned_to": assignee},
            data={"previous": previous, "assigned_to": assignee.pk},
        )
    return complaint


def answer_complaint(*, complaint: Complaint, handler: User, outcome: str, text: str) -> Complaint:
    """The provider's answer: its outcome and what was found and done. The citizen is told."""
    if outcome not in Outcome.values:
        raise InvalidInput(
            _("The outcome is upheld, partly upheld or rejected."), code="invalid_outcome"
        )
    answer = _text(
        text, required=_("Write what was found and what was done."), code="answer_required"
    )
    now = clock.now()
    with transaction.atomic():
        _move(
            complaint,
            ComplaintAction.ANSWER,
            actor=handler,
            changes={
                "answered_at": now,
                "answered_by": handler,
                "outcome": outcome,
                "answer": answer,
            },
            data={"outcome": outcome, "late": domain.answered_late(complaint.due_at, now)},
        )
        transaction.on_commit(partial(notices.answered, complaint_id=complaint.pk))
    return complaint


def _escalation(reason: EscalationReason, note: str) -> dict[str, Any]:
    now = clock.now()
    return {
        "escalated_at": now,
        "escalation_reason": reason,
        "escalation_note": note,
        "review_due_at": domain.review_due(
            working_calendar(), now, settings.COMPLAINT_ESCALATED_WORKING_DAYS
        ),
        "assigned_to_id": _quality_reviewer(),
    }


def escalate_complaint(*, complaint: Complaint, actor: User | None, note: str = "") -> Complaint:
    """To a quality reviewer: by the provider (with a reason) or, with no actor, because the
    provider's term passed unanswered."""
    reason = EscalationReason.REFERRED if actor is not None else EscalationReason.OVERDUE
    text = _text(note, required=_("Give a reason.") if actor is not None else None)
    with transaction.atomic():
        changes = _escalation(reason, text)
        _move(
            complaint,
            ComplaintAction.ESCALATE,
            actor=actor,
            changes=changes,
            data={"reason": reason, "assigned_to": changes["assigned_to_id"]},
        )
        transaction.on_commit(partial(notices.escalated, complaint_id=complaint.pk))
    return complaint


def respond_to_answer(*, complaint: Complaint, accept: bool, reason: str = "") -> Complaint:
    """The citizen accepts the provider's answer (closed) or disputes it (to a reviewer)."""
    now = clock.now()
    with transaction.atomic():
        if accept:
            _move(
                complaint,
                ComplaintAction.ACCEPT,
                actor=None,
                changes={"responded_at": now},
                data={"by": "citizen"},
            )
            return complaint
        why = _text(
            reason, required=_("Say why the answer does not resolve it."), code="reason_required"
        )
        changes = {
            "responded_at": now,
            "dispute_reason": why,
            **_escalation(EscalationReason.DISPUTED, ""),
        }
        _move(
            complaint,
            ComplaintAction.DISPUTE,
            actor=None,
            changes=changes,
            data={"by": "citizen", "assigned_to": changes["assigned_to_id"]},
        )
        transaction.on_commit(partial(notices.escalated, complaint_id=complaint.pk))
    return complaint


def resolve_complaint(
    *, complaint: Complaint, reviewer: User, outcome: str, text: str
) -> Complaint:
    """The quality reviewer's decision on an escalated complaint. The citizen is told."""
    if outcome not in Outcome.values:
        raise InvalidInput(
            _("The outcome is upheld, partly upheld or rejected."), code="invalid_outcome"
        )
    decision = _text(text, required=_("Write the decision and its grounds."))
    now = clock.now()
    with transaction.atomic():
        late = complaint.review_due_at is not None and now > complaint.review_due_at
        _move(
            complaint,
            ComplaintAction.RESOLVE,
            actor=reviewer,
            changes={
                "resolved_at": now,
                "resolved_by": reviewer,
                "resolution_outcome": outcome,
                "resolution": decision,
            },
            data={"outcome": outcome, "late": late},
        )
        transaction.on_commit(partial(notices.resolved, complaint_id=complaint.pk))
    return complaint


def escalate_overdue() -> list[str]:
    """Complaints the provider left unanswered past their term go to a quality reviewer, once
    each (the conditional UPDATE on the state makes a second pass, or a second server, a
    no-op)."""
    escalated = []
    overdue = Complaint.objects.filter(
        status=ComplaintStatus.REGISTERED, due_at__lt=clock.now()
    ).select_related("centre", "department")
    for complaint in overdue.order_by("due_at"):
        try:
            escalate_complaint(complaint=complaint, actor=None)
        except Conflict:
            continue  # answered a moment ago
        escalated.append(complaint.number)
    return escalated


def record_view(complaint: Complaint, viewer: User) -> None:
    """A member of staff opened the complaint: personal data seen, so it goes in the access
    log the citizen can read."""
    with transaction.atomic():
        audit.record(
            actor=viewer,
            action="feedback.complaint_viewed",
            target=complaint,
            data={"number": complaint.number},
        )
