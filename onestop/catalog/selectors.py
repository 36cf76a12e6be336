from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import (
    LifeEventBundle,
    LifeSituation,
    RequiredDocument,
    Service,
)
from onestop.core import sql
from onestop.core.errors import NotFound


def offered_services() -> QuerySet[Service]:
    """Services on offer with everything a standards page or the API shows, in few queries."""
    return (
        Service.objects.filter(is_active=True)
        .select_related("department", "life_situation")
        .prefetch_related(
            "urgency_tiers",
            Prefetch("documents", queryset=RequiredDocument.objects.select_related("registry")),
            "refusal_grounds",
        )
        .order_by("life_situation__order", "department__code", "code")
    )


def service_by_code(code: str) -> Service:
    service = offered_services().filter(code=code.upper()).first()
    if service is None:
        raise NotFound(
            _("There is no service with the code %(service)s."),
            code="service_not_found",
            service=code,
        )
    return service


def _haystack(service: Service) -> str:
    parts = [service.code, service.name_kk, service.name_ru, service.name_en]
    parts += [service.result_kk, service.result_ru, service.result_en]
    situation = service.life_situation
    parts += [situation.name_kk, situation.name_ru, situation.name_en]
    parts += [service.department.name_kk, service.department.name_ru, service.department.name_en]
    return " ".join(parts).casefold()


def search_services(query: str = "") -> list[Service]:
    """Services matching every word of `query` in any language. Matching happens in Python:
    SQLite's LIKE folds case only for ASCII, and Kazakh/Russian words must match either way."""
    services = list(offered_services())
    words = query.casefold().split()
    if not words:
        return services
    return [s for s in services if all(word in _haystack(s) for word in words)]


@dataclass(frozen=True)
class SituationGroup:
    situation: LifeSituation
    services: list[Service]


def grouped_by_situation(services: list[Service]) -> list[SituationGroup]:
    groups: dict[int, SituationGroup] = {}
    for service in services:
        situation = service.life_situation
        groups.setdefault(situation.pk, SituationGroup(situation, [])).services.append(service)
    return sorted(groups.values(), key=lambda g: (g.situation.order, g.situation.code))


def bundles() -> QuerySet[LifeEventBundle]:
    return LifeEventBundle.objects.prefetch_related("items__service").order_by("code")


def service_named(code: str) -> Service:
    """Just the service and its group, for hot paths (issuing a ticket) that show no standard."""
    service = sql.one(Service, "code = %s AND is_active", [code.upper()])
    if service is None:
        raise NotFound(
            _("There is no service with the code %(service)s."),
            code="service_not_found",
            service=code,
        )
    service.life_situation = _situation(service.life_situation_id)
    return service


def _situation(pk: int) -> LifeSituation:
    found = sql.one(LifeSituation, "id = %s", [pk])
    assert found is not None  # a foreign key
    return found


def service_by_id(pk: int) -> Service:
    """The service row alone, by hand: the queue asks it on every call."""
    found = sql.one(Service, "id = %s", [pk])
    if found is None:
        raise Service.DoesNotExist(pk)
    return found
