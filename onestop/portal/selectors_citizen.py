"""Reads for the identified citizen's own pages and for the development SMS inbox."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from onestop.audit import selectors as audit
from onestop.cases import selectors as cases
from onestop.cases.domain import CaseStatus
from onestop.cases.models import Application
from onestop.feedback.complaints import selectors as complaints
from onestop.feedback.models import Rating
from onestop.notify.domain import normalise_kz_phone
from onestop.notify.models import Message, MessageChannel
from onestop.portal.models import OneTimeCode


def latest_code(iin: str) -> OneTimeCode | None:
    """The code sent last for this IIN: the only one that counts."""
    return OneTimeCode.objects.filter(iin=iin).order_by("-created_at", "-id").first()


def rated_application_ids(ids: Collection[int]) -> set[int]:
    """Which of these applications have been rated already (one rating per result)."""
    found = Rating.objects.filter(application_id__in=list(ids)).values_list(
        "application_id", flat=True
    )
    return {pk for pk in found if pk is not None}


def my_applications(iin: str) -> list[Application]:
    """The citizen's applications, newest first, each with `rateable` (its result was issued
    and it has not been rated yet) and `as_representative` (the citizen acted for another)."""
    found = list(cases.applications_of_citizen(iin))
    rated = rated_application_ids([case.pk for case in found])
    for case in found:
        case.rateable = case.status == CaseStatus.ISSUED and case.pk not in rated  # type: ignore[attr-defined]
        case.as_representative = case.applicant_iin != iin  # type: ignore[attr-defined]
    return found


def _applications(iin: str) -> Mapping[str, str]:
    return {
        str(pk): number
        for pk, number in cases.applications_of_citizen(iin).values_list("pk", "number")
    }


# The citizen's records whose views the access log shows: object type → (IIN → {id: label}).
# A context that logs views of another kind of record (complaints) adds its reader here and
# its action to `onestop.audit.selectors.PERSONAL_DATA_VIEWS`.
PERSONAL_RECORDS: dict[str, Callable[[str], Mapping[str, str]]] = {
    "cases.application": _applications,
    "feedback.complaint": complaints.complaint_records_of,
}


def who_viewed_my_data(iin: str, *, limit: int = 200) -> list[audit.AccessLine]:
    """Every logged view of the citizen's records by staff, the latest first."""
    viewed: dict[str, list[str]] = {}
    labels: dict[tuple[str, str], str] = {}
    for object_type, records_of in PERSONAL_RECORDS.items():
        records = records_of(iin)
        viewed[object_type] = list(records)
        labels.update({(object_type, pk): label for pk, label in records.items()})
    return audit.access_log(viewed=viewed, labels=labels, limit=limit)


def inbox(*, phone: str = "", limit: int = 50) -> list[Message]:
    """The latest SMS in the delivery log, for the development inbox; optionally to one phone
    (a phone that is not a Kazakhstan mobile number matches nothing)."""
    found = Message.objects.filter(channel=MessageChannel.SMS)
    if phone.strip():
        found = found.filter(recipient=normalise_kz_phone(phone) or "-")
    return list(found.order_by("-created_at", "-id")[:limit])
