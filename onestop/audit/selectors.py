"""Reads of the audit trail. The personal-data access log: who on the staff opened which of a
citizen's records, when, in what role and (where recorded) why — the citizen reads it on the
portal. Staff appear by name and role, never by their internal id."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.accounts.domain import Role
from onestop.accounts.models import RoleAssignment, User
from onestop.audit.models import AuditEntry

# What counts as seeing a citizen's personal data: (action, object type) pairs. Contexts that
# log such views add theirs here (complaints: "feedback.complaint_viewed").
PERSONAL_DATA_VIEWS: dict[str, str] = {
    "cases.application_viewed": "cases.application",
    "feedback.complaint_viewed": "feedback.complaint",
}
WHY_KEYS = ("reason", "purpose", "why")
# The channel of a view that did not happen on a staff screen of the record (`data["via"]`).
VIA_LABELS = {"call_centre": gettext_lazy("at the call centre")}


@dataclass(frozen=True)
class AccessLine:
    at: datetime
    who: str  # the staff member's full name (or user name)
    role: str  # e.g. "Front-line operator, Astana Public Service Centre No. 1 (AST-01)"
    what: str  # the record seen, e.g. the application's number
    action: str
    object_type: str
    why: str  # the reason given, when the view recorded one
    via: str  # where, when not on a staff screen of the record (e.g. "at the call centre")


def _place(assignment: RoleAssignment) -> str:
    if assignment.centre is not None:
        return f"{assignment.centre.name} ({assignment.centre.code})"
    parts = [str(x.name) for x in (assignment.department, assignment.region) if x is not None]
    return ", ".join(parts)


def _roles(actor_ids: Collection[int]) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    assignments = (
        RoleAssignment.objects.filter(user_id__in=actor_ids)
        .select_related("centre", "department", "region")
        .order_by("user_id", "id")
    )
    for assignment in assignments:
        label = str(Role(assignment.role).label)
        place = _place(assignment)
        found.setdefault(assignment.user_id, []).append(f"{label}, {place}" if place else label)
    return {user_id: "; ".join(labels) for user_id, labels in found.items()}


def _who(actor: User | None, label: str) -> str:
    if actor is None:
        return _("OneStop (automatic)") if label in ("", "system") else label
    return actor.get_full_name() or actor.get_username()


def access_log(
    *,
    viewed: Mapping[str, Collection[str]],
    actions: Collection[str] | None = None,
    labels: Mapping[tuple[str, str], str] | None = None,
    limit: int = 200,
) -> list[AccessLine]:
    """Views of these records, the latest first. `viewed` maps an object type to the ids of
    the records (e.g. {"cases.application": ["12", "15"]}); `actions` are the audit actions
    that count as a view (by default every one in `PERSONAL_DATA_VIEWS`); `labels` names a
    record as the citizen knows it ((type, id) → "AST-01-20261202-0001")."""
    actions = list(PERSONAL_DATA_VIEWS) if actions is None else list(actions)
    wanted = [
        Q(object_type=object_type, object_id__in=[str(i) for i in ids])
        for object_type, ids in viewed.items()
        if ids
    ]
    if not wanted or not actions:
        return []
    entries = list(
        AuditEntry.objects.filter(reduce(or_, wanted), action__in=actions)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    roles = _roles({e.actor_id for e in entries if e.actor_id is not None})
    labels = labels or {}
    lines = []
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        what = labels.get((entry.object_type, entry.object_id)) or str(data.get("number", ""))
        why = next((str(data[key]) for key in WHY_KEYS if data.get(key)), "")
        via = str(data.get("via", ""))
        lines.append(
            AccessLine(
                at=entry.at,
                who=_who(entry.actor, entry.actor_label),
                role=roles.get(entry.actor_id, "") if entry.actor_id is not None else "",
                what=what or entry.object_id,
                action=entry.action,
                object_type=entry.object_type,
                why=why,
                via=str(VIA_LABELS.get(via, via)),
            )
        )
    return lines
