"""Who may see and act on a complaint: the one place that decides.

The provider's management reviews it: a centre's supervisor, deputy or manager for a complaint
the centre reviews; the department's head (within their region, if their role is narrowed to
one) for one the department reviews. Quality reviewers take what was escalated. Call-centre
agents read complaints for a caller. Out of scope looks exactly like not there."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.accounts import access
from onestop.accounts.domain import ROLE_PERMISSIONS, Permission, Role
from onestop.accounts.models import User
from onestop.core.errors import NotFound, PermissionDenied
from onestop.feedback.complaints.domain import ComplaintStatus, Reviewer
from onestop.feedback.complaints.models import Complaint

ESCALATED_OR_DECIDED = (ComplaintStatus.ESCALATED, ComplaintStatus.RESOLVED)


def may_handle(user: User, complaint: Complaint) -> bool:
    """The provider's management over the complaint's centre or department."""
    if complaint.reviewed_by == Reviewer.CENTRE:
        return complaint.centre is not None and access.has_permission(
            user, Permission.HANDLE_COMPLAINTS, centre=complaint.centre
        )
    return complaint.department is not None and access.has_permission(
        user, Permission.HANDLE_COMPLAINTS, department=complaint.department, region=complaint.region
    )


def may_review(user: User) -> bool:
    return access.has_permission(user, Permission.REVIEW_QUALITY)


def may_view(user: User, complaint: Complaint) -> bool:
    return (
        may_handle(user, complaint)
        or may_review(user)
        or access.has_permission(user, Permission.LOOK_UP_FOR_CALLER)
    )


def check_may_view(user: User, complaint: Complaint) -> None:
    if not may_view(user, complaint):
        raise NotFound(_("There is no such complaint."), code="complaint_not_found")


def check_may_handle(user: User, complaint: Complaint) -> None:
    if not may_handle(user, complaint):
        raise PermissionDenied(
            _("Only the management of the centre or department complained about can do this."),
            code="not_your_complaint",
        )


def check_may_review(user: User) -> None:
    if not may_review(user):
        raise PermissionDenied(
            _("Only a quality reviewer decides escalated complaints."), code="not_a_reviewer"
        )


def check_may_escalate(user: User, complaint: Complaint) -> None:
    """The provider refers its own complaint up; a reviewer may take over one left unanswered."""
    if not (may_handle(user, complaint) or may_review(user)):
        raise PermissionDenied(
            _("Only the management of the centre or department complained about can do this."),
            code="not_your_complaint",
        )


def check_may_assign(user: User, complaint: Complaint, assignee: User) -> None:
    """While the provider reviews, its management gives the complaint to one of its own;
    once escalated, a reviewer gives it to a reviewer."""
    if complaint.status == ComplaintStatus.ESCALATED:
        check_may_review(user)
        if not may_review(assignee):
            raise PermissionDenied(
                _("Escalated complaints go to quality reviewers only."), code="not_a_reviewer"
            )
        return
    check_may_handle(user, complaint)
    if not may_handle(assignee, complaint):
        raise PermissionDenied(
            _("That person does not handle complaints of this centre or department."),
            code="not_a_handler",
        )


def check_may_register_for_citizen(user: User) -> None:
    """Staff who take a complaint down for a citizen: call-centre agents, front-line operators
    and the centres' management."""
    if not any(
        access.has_permission(user, permission)
        for permission in (
            Permission.LOOK_UP_FOR_CALLER,
            Permission.SERVE_TICKETS,
            Permission.HANDLE_COMPLAINTS,
        )
    ):
        raise PermissionDenied(
            _("Only the call centre and the centres' staff register complaints for citizens."),
            code="not_complaint_staff",
        )


def may_use_desk(user: User) -> bool:
    return access.has_permission(user, Permission.HANDLE_COMPLAINTS) or may_review(user)


def check_may_use_desk(user: User) -> None:
    if not may_use_desk(user):
        raise PermissionDenied(
            _(
                "The complaint desk is for the centres' management, department heads and "
                "quality reviewers."
            ),
            code="not_complaint_staff",
        )


def desk_filter(user: User) -> Q:
    """The complaints on this user's desk, as a filter: those their centre or department
    reviews, and (for quality reviewers) every escalated one. Matches nothing for others."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    found = Q(pk__in=[])
    for assignment in access.assignments_of(user):
        granted = ROLE_PERMISSIONS[Role(assignment.role)]
        if Permission.HANDLE_COMPLAINTS in granted:
            if assignment.centre_id is not None:
                found |= Q(reviewed_by=Reviewer.CENTRE, centre_id=assignment.centre_id)
            elif assignment.department_id is not None:
                mine = Q(reviewed_by=Reviewer.DEPARTMENT, department_id=assignment.department_id)
                if assignment.region_id is not None:
                    mine &= Q(region_id=assignment.region_id)
                found |= mine
            else:  # country scope: every complaint
                return Q()
        if Permission.REVIEW_QUALITY in granted:
            found |= Q(status__in=ESCALATED_OR_DECIDED) | Q(escalated_at__isnull=False)
    return found
