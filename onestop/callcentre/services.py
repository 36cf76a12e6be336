"""What a call-centre agent does for a caller. Each look-up is written to the audit trail,
found or not: an agent reads personal data on someone's word over the phone, so the trail is
what keeps that honest. A look-up that finds an application is also a personal-data view the
citizen sees in "who viewed my data"."""

from __future__ import annotations

from django.db import transaction

from onestop.accounts.models import User
from onestop.audit import services as audit
from onestop.cases import selectors as cases
from onestop.cases import services as case_services
from onestop.cases.models import Application
from onestop.core.errors import NotFound
from onestop.core.iin import mask_iin


def look_up_application(*, agent: User, number: str, iin: str) -> Application:
    """The caller's application by number and IIN; NotFound (the same for either wrong) after
    the attempt is on record."""
    number, iin = number.strip().upper()[:40], iin.strip()[:20]
    try:
        case: Application | None = cases.application_for_citizen(number, iin)
    except NotFound as missing:
        case, problem = None, missing
    with transaction.atomic():
        audit.record(
            actor=agent,
            action="callcentre.application_lookup",
            target=case,
            object_type="cases.application",
            data={"number": number, "iin": mask_iin(iin), "found": case is not None},
        )
        if case is not None:
            case_services.record_view(case, agent, via="call_centre")
    if case is None:
        raise problem
    return case
