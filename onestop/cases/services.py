"""Writes to applications after intake (`intake.py`): routing and assignment, the back
office's decisions, the result's way back to the citizen. One transaction each, with its
audit entries and events; a case changes state only by a conditional UPDATE on the state it
was read in, so two people acting at once cannot both move it. Messages to the citizen go
after commit."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit import services as audit
from onestop.cases import domain, notices
from onestop.cases.domain import CaseAction, CaseStatus
from onestop.cases.models import Application
from onestop.catalog.models import Department, RefusalGround
from onestop.core import clock, sql
from onestop.core.errors import Conflict, InvalidInput
from onestop.core.selectors import working_calendar
from onestop.events import services as events


def _payload(case: Application, **extra: Any) -> dict[str, Any]:
    return {
        "number": case.number,
        "status": case.status,
        "service": case.service.code,
        "department": case.department.code,
        **extra,
    }


def record(case: Application, action: str, actor: User | None, **data: Any) -> None:
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


def move(
    case: Application,
    action: CaseAction,
    *,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    assignee: User | None = None,
) -> None:
    """Move the case by `action` if its state allows it, against anyone acting at once;
    with `assignee`, only while the case is still theirs (a head may just have moved it)."""
    new = domain.next_status(CaseStatus(case.status), action)
    if new is None:
        raise _conflict(case, action)
    fields = {"status": new, **(changes or {})}
    where: dict[str, Any] = {"id": case.pk, "status": case.status}
    if assignee is not None:
        where["assigned_to"] = assignee.pk
    moved = sql.update_returning(Application, where=where, changes=fields, returning=("status",))
    if moved is None:
        case.refresh_from_db()
        if assignee is not None and case.assigned_to_id != assignee.pk:
            raise _not_yours()
        raise _conflict(case, action)
    for name, value in fields.items():
        setattr(case, name, value)
    record(case, action.value, actor, **(data or {}))


def _not_yours() -> Conflict:
    return Conflict(_("This application is assigned to another officer."), code="not_your_case")


def record_view(case: Application, viewer: User, *, via: str = "") -> None:
    """A member of staff opened the case: personal data seen, so it goes in the access log
    the citizen can read. `via` names the channel when it is not a staff screen of the case
    (e.g. "call_centre")."""
    data = {"number": case.number, **({"via": via} if via else {})}
    with transaction.atomic():
        audit.record(actor=viewer, action="cases.application_viewed", target=case, data=data)


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
    # Open cases and counter decisions waiting for their re-check are both work in hand.
    load = dict(
        Application.objects.filter(assigned_to_id__in=officer_ids)
        .filter(Q(status__in=domain.OPEN_IN_BACK_OFFICE) | Q(recheck_pending=True))
        .values("assigned_to_id")
        .annotate(n=Count("id"))
        .values_list("assigned_to_id", "n")
    )
    return [domain.Officer(id=uid, open_cases=load.get(uid, 0)) for uid in sorted(officer_ids)]


def route(case: Application, *, actor: User | None) -> None:
    """To the department's back office, to the officer with the least work."""
    chosen = domain.least_loaded(_officers_by_load(case))
    move(
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
        raise _not_yours()
    now = clock.now()
    with transaction.atomic():
        if decision == "approve":
            if not result_number.strip():
                raise InvalidInput(
                    _("Enter the number of the result document."), code="result_number_required"
                )
            move(
                case,
                CaseAction.APPROVE,
                actor=officer,
                changes={
                    "decided_at": now,
                    "decided_by": officer,
                    "result_number": result_number.strip()[:60],
                },
                data={"result_number": result_number.strip()[:60]},
                assignee=officer,
            )
            _deliver(case, actor=officer)
        elif decision == "refuse":
            chosen = RefusalGround.objects.filter(service=case.service, code=ground).first()
            if chosen is None:
                raise InvalidInput(
                    _("Choose a ground for refusal from the service's standard."),
                    code="ground_required",
                )
            move(
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
                assignee=officer,
            )
            _deliver(case, actor=officer)
        elif decision == "return":
            if not text.strip():
                raise InvalidInput(
                    _("Say which documents are needed."), code="return_note_required"
                )
            move(
                case,
                CaseAction.RETURN,
                actor=officer,
                changes={"returned_at": now, "return_note": text.strip()[:500]},
                data={"note": text.strip()[:500]},
                assignee=officer,
            )
            transaction.on_commit(partial(notices.returned, case_id=case.pk))
        else:
            raise InvalidInput(
                _("The decision is one of: approve, refuse, return."), code="invalid_decision"
            )
    return case


def decide_at_counter(case: Application, operator: User, decision: domain.Decision) -> None:
    """The operator decides during the visit (the standard allows it) and hands the result
    over at once; a share of such decisions, set by the standard, is sampled for a re-check
    by the back office. Runs inside the registration's transaction."""
    now = clock.now()
    changes: dict[str, Any] = {
        "decided_at": now,
        "decided_by": operator,
        "decided_at_counter": True,
    }
    if decision.decision == "approve":
        if not decision.result_number.strip():
            raise InvalidInput(
                _("Enter the number of the result document."), code="result_number_required"
            )
        changes["result_number"] = decision.result_number.strip()[:60]
        action = CaseAction.APPROVE
    elif decision.decision == "refuse":
        ground = RefusalGround.objects.filter(service=case.service, code=decision.ground).first()
        if ground is None:
            raise InvalidInput(
                _("Choose a ground for refusal from the service's standard."),
                code="ground_required",
            )
        changes.update(refusal_ground=ground, refusal_text=decision.text.strip()[:2000])
        action = CaseAction.REFUSE
    else:
        raise InvalidInput(
            _("At the counter the decision is approve or refuse."), code="invalid_decision"
        )
    sampled = domain.sampled_for_recheck(case.number, case.service.recheck_share)
    changes["recheck_pending"] = sampled
    move(case, action, actor=operator, changes=changes, data={"at_counter": True})
    move(case, CaseAction.DELIVER, actor=operator, changes={"result_ready_at": now})
    move(case, CaseAction.ISSUE, actor=operator, changes={"issued_at": now})
    if sampled:
        chosen = domain.least_loaded(_officers_by_load(case))
        Application.objects.filter(pk=case.pk).update(assigned_to_id=chosen.id if chosen else None)
        case.assigned_to_id = chosen.id if chosen else None
        record(case, "recheck_sampled", None, officer=case.assigned_to_id)


def recheck(*, case: Application, officer: User, outcome: str, reason: str) -> Application:
    """The back office's re-check of a counter decision: confirmed, or reversed — and then
    the citizen is told to come back."""
    if not case.recheck_pending:
        raise Conflict(_("This decision is not waiting for a re-check."), code="no_recheck")
    if case.assigned_to_id != officer.pk:
        raise _not_yours()
    if outcome not in ("confirm", "reverse"):
        raise InvalidInput(_("The outcome is confirm or reverse."), code="invalid_outcome")
    if outcome == "reverse" and not reason.strip():
        raise InvalidInput(_("Give a reason."), code="reason_required")
    with transaction.atomic():
        done = Application.objects.filter(
            pk=case.pk, recheck_pending=True, assigned_to=officer
        ).update(
            recheck_pending=False,
            recheck_outcome="reversed" if outcome == "reverse" else "confirmed",
            rechecked_at=clock.now(),
            rechecked_by=officer,
        )
        if not done:
            raise Conflict(_("This decision is not waiting for a re-check."), code="no_recheck")
        case.recheck_pending = False
        case.recheck_outcome = "reversed" if outcome == "reverse" else "confirmed"
        record(case, f"recheck_{outcome}", officer, reason=reason.strip()[:500])
        if outcome == "reverse":
            transaction.on_commit(partial(notices.decision_reversed, case_id=case.pk))
    return case


def _deliver(case: Application, *, actor: User | None) -> None:
    """The result goes to the centre where the citizen applied; they are told to collect it."""
    move(case, CaseAction.DELIVER, actor=actor, changes={"result_ready_at": clock.now()})
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
        move(
            case,
            CaseAction.RESUBMIT,
            actor=operator,
            # A new deadline: the "due soon" note of the old one no longer holds.
            changes={"deadline_at": moved, "due_soon_noted_at": None},
            data={"deadline": moved.isoformat()},
        )
    return case


def forward(*, case: Application, officer: User, department: Department, reason: str) -> None:
    """To another department's back office (the service was another's), reassigned there."""
    if case.assigned_to_id != officer.pk:
        raise _not_yours()
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), code="reason_required")
    if department.pk == case.department_id:
        raise InvalidInput(_("Choose another department."), code="same_department")
    with transaction.atomic():
        there = Application(pk=case.pk, department=department, region_id=case.region_id)
        chosen = domain.least_loaded(_officers_by_load(there))
        move(
            case,
            CaseAction.FORWARD,
            actor=officer,
            changes={"department": department, "assigned_to_id": chosen.id if chosen else None},
            data={
                "to": department.code,
                "officer": chosen.id if chosen else None,
                "reason": reason.strip()[:300],
            },
            assignee=officer,
        )


def reassign(*, case: Application, head: User, officer: User, reason: str) -> None:
    """Only a department head moves a case to another officer, with a reason (audited)."""
    if not reason.strip():
        raise InvalidInput(_("Give a reason."), code="reason_required")
    if case.status not in domain.OPEN_IN_BACK_OFFICE and not case.recheck_pending:
        raise Conflict(
            _("Only a case in the back office can be reassigned."), code="not_reassignable"
        )
    if officer.pk == case.assigned_to_id:
        raise InvalidInput(_("The application is already with this officer."), code="same_officer")
    eligible = {o.id for o in _officers_by_load(case)}
    if officer.pk not in eligible:
        raise InvalidInput(
            _("That person is not an officer of this back office."), code="not_an_officer"
        )
    with transaction.atomic():
        updated = Application.objects.filter(
            pk=case.pk, status=case.status, recheck_pending=case.recheck_pending
        ).update(assigned_to=officer)
        if not updated:
            case.refresh_from_db()
            raise Conflict(_("The application changed meanwhile: reload it."), code="stale")
        previous = case.assigned_to_id
        case.assigned_to = officer
        record(
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
        move(case, CaseAction.ISSUE, actor=operator, changes={"issued_at": clock.now()})
    return case
