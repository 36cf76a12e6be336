from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from onestop.catalog import selectors
from onestop.catalog.models import Service
from onestop.core.api_schemas import ErrorOut, Lang, Texts, texts
from onestop.core.i18n import pick
from onestop.core.money import mci_to_tenge
from onestop.core.selectors import current_mci

router = Router()


class NamedOut(Schema):
    code: str
    name: str
    names: Texts


class SituationOut(NamedOut):
    letter: str


class DeadlineOut(Schema):
    value: int
    unit: str


class FeeOut(Schema):
    mci: Decimal
    tenge: Decimal | None
    year: int


class TierOut(Schema):
    working_days: int
    locality: str
    fee: FeeOut


class DocumentOut(Schema):
    code: str
    source: str
    registry: str | None
    name: str
    names: Texts


class GroundOut(Schema):
    code: str
    text: str
    texts: Texts


class CounterDecisionOut(Schema):
    allowed: bool
    recheck_share: Decimal


class ServiceOut(Schema):
    code: str
    name: str
    names: Texts
    department: NamedOut
    life_situation: SituationOut
    result: str
    results: Texts
    deadline: DeadlineOut
    fee: FeeOut
    urgency_tiers: list[TierOut]
    documents: list[DocumentOut]
    refusal_grounds: list[GroundOut]
    channels: list[str]
    counter_decision: CounterDecisionOut
    priority_applies: bool
    target_wait_minutes: int
    avg_handling_minutes: int
    illustrative: bool


def _fee(amount: Decimal, mci: Decimal | None, year: int) -> FeeOut:
    return FeeOut(mci=amount, tenge=None if mci is None else mci_to_tenge(amount, mci), year=year)


def service_out(service: Service, mci: Decimal | None, year: int) -> ServiceOut:
    department, situation = service.department, service.life_situation
    return ServiceOut(
        code=service.code,
        name=service.name,
        names=texts(service, "name"),
        department=NamedOut(
            code=department.code, name=department.name, names=texts(department, "name")
        ),
        life_situation=SituationOut(
            code=situation.code,
            letter=situation.letter,
            name=situation.name,
            names=texts(situation, "name"),
        ),
        result=pick(service, "result"),
        results=texts(service, "result"),
        deadline=DeadlineOut(value=service.deadline_value, unit=service.deadline_unit),
        fee=_fee(service.fee_mci, mci, year),
        urgency_tiers=[
            TierOut(
                working_days=tier.working_days,
                locality=tier.locality,
                fee=_fee(tier.fee_mci, mci, year),
            )
            for tier in service.urgency_tiers.all()
        ],
        documents=[
            DocumentOut(
                code=doc.code,
                source=doc.source,
                registry=doc.registry.code if doc.registry else None,
                name=doc.name,
                names=texts(doc, "name"),
            )
            for doc in service.documents.all()
        ],
        refusal_grounds=[
            GroundOut(code=g.code, text=pick(g, "text"), texts=texts(g, "text"))
            for g in service.refusal_grounds.all()
        ],
        channels=list(service.channels),
        counter_decision=CounterDecisionOut(
            allowed=service.counter_decision_allowed, recheck_share=service.recheck_share
        ),
        priority_applies=service.priority_applies,
        target_wait_minutes=service.target_wait_minutes,
        avg_handling_minutes=service.avg_handling_minutes,
        illustrative=service.illustrative,
    )


@router.get("", response={200: list[ServiceOut], 422: ErrorOut}, summary="List services")
def list_services(
    request: HttpRequest, q: str = "", department: str = "", lang: Lang | None = None
) -> list[ServiceOut]:
    """Services on offer, optionally searched (`q`, any language) or by department code."""
    mci, year = current_mci()
    found = selectors.search_services(q)
    if department:
        found = [s for s in found if s.department.code == department.upper()]
    return [service_out(s, mci, year) for s in found]


@router.get(
    "/{code}", response={200: ServiceOut, 404: ErrorOut, 422: ErrorOut}, summary="One service"
)
def get_service(request: HttpRequest, code: str, lang: Lang | None = None) -> ServiceOut:
    mci, year = current_mci()
    return service_out(selectors.service_by_code(code), mci, year)
