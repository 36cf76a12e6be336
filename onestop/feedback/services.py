"""Ratings: one per visit and one per result, anonymous to the operator; a low score opens a
follow-up for the centre manager with its clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit import services as audit
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.core import clock
from onestop.core.errors import Conflict, InvalidInput
from onestop.core.selectors import working_calendar
from onestop.events import services as events
from onestop.feedback import domain
from onestop.feedback.models import FollowUp, Rating
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Ticket


def _check(scores: Mapping[str, object], comment: str, channel: str) -> dict[str, int]:
    if domain.score_problem(scores):
        raise InvalidInput(
            _("Give each of the five criteria a score from 1 to 5."), code="invalid_scores"
        )
    if channel not in domain.Channel.values:
        raise InvalidInput(_("Unknown channel."), code="invalid_channel")
    if len(comment) > 2000:
        raise InvalidInput(_("The comment is too long."), code="comment_too_long")
    return {name: int(value) for name, value in scores.items()}  # type: ignore[call-overload]


def _due(opened: datetime) -> datetime:
    return working_calendar().deadline_for(opened, domain.FOLLOW_UP_WORKING_DAYS, "working_days")


def _save(rating: Rating, scores: dict[str, int]) -> Rating:
    try:
        with transaction.atomic():
            rating.save()
            if domain.needs_follow_up(scores):
                FollowUp.objects.create(
                    rating=rating,
                    centre_id=rating.centre_id,
                    opened_at=rating.created_at,
                    due_at=_due(rating.created_at),
                )
            payload = {"centre": rating.centre.code, "service": rating.service.code, **scores}
            events.publish(topic="feedback.rated", payload=payload, centre_code=rating.centre.code)
            audit.record(actor=None, action="feedback.rated", target=rating, data=scores)
    except IntegrityError:
        raise Conflict(_("This visit has been rated already."), code="already_rated") from None
    return rating


def rate_visit(
    *, ticket: Ticket, scores: Mapping[str, object], comment: str = "", channel: str
) -> Rating:
    """The citizen rates a served visit (once)."""
    checked = _check(scores, comment, channel)
    if ticket.status != TicketStatus.DONE:
        raise Conflict(_("A visit can be rated once it has been served."), code="not_served")
    rating = Rating(
        ticket=ticket,
        centre=ticket.centre,
        service=ticket.service,
        operator_id=ticket.operator_id,
        channel=channel,
        comment=comment.strip(),
        created_at=clock.now(),
        **checked,
    )
    return _save(rating, checked)


def rate_result(
    *, case: Application, scores: Mapping[str, object], comment: str = "", channel: str
) -> Rating:
    """The citizen rates an application once its result was issued; whether the deadline was
    met is kept beside the scores."""
    checked = _check(scores, comment, channel)
    if case.status != CaseStatus.ISSUED:
        raise Conflict(
            _("An application can be rated once its result has been issued."), code="not_issued"
        )
    decided = case.decided_at or case.issued_at
    rating = Rating(
        application=case,
        centre=case.centre,
        service=case.service,
        operator_id=case.operator_id,
        deadline_met=bool(decided and decided <= case.deadline_at),
        channel=channel,
        comment=comment.strip(),
        created_at=clock.now(),
        **checked,
    )
    return _save(rating, checked)


def answer_follow_up(*, follow_up: FollowUp, manager: User, answer: str) -> FollowUp:
    """The centre manager's answer to a low rating: what was found and done (once)."""
    text = answer.strip()
    if not text:
        raise InvalidInput(_("Write what was found and what was done."), code="answer_required")
    with transaction.atomic():
        done = FollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
            answered_at=clock.now(), answer=text[:4000], answered_by=manager
        )
        if not done:
            raise Conflict(_("This follow-up has been answered already."), code="answered")
        follow_up.refresh_from_db()
        audit.record(
            actor=manager,
            action="feedback.follow_up_answered",
            target=follow_up.rating,
            data={"late": follow_up.answered_at > follow_up.due_at},  # type: ignore[operator]
        )
    return follow_up
