"""Writes to the catalogue. The catalogue is data: a JSON document can add departments,
services and bundles without code (DESIGN §1: growth to 130+ services)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.audit import services as audit
from onestop.catalog.domain import Channel, DeadlineUnit, DocumentSource, Locality
from onestop.catalog.models import (
    BundleItem,
    Department,
    LifeEventBundle,
    LifeSituation,
    RefusalGround,
    Registry,
    RequiredDocument,
    Service,
    UrgencyTier,
)
from onestop.core.errors import InvalidInput
from onestop.core.imports import texts_from, unknown_code
from onestop.events import services as events

if TYPE_CHECKING:
    from onestop.accounts.models import User


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1


def _texts(item: dict[str, Any], key: str, where: str) -> dict[str, str]:
    return texts_from(item, key, where=where, code="catalogue_invalid")


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("-1")
    if number < 0:
        raise InvalidInput(
            _("%(where)s: '%(value)s' is not a valid amount."),
            code="catalogue_invalid",
            where=where,
            value=value,
        )
    return number


def _choice(value: Any, allowed: list[str], where: str) -> str:
    if value not in allowed:
        raise InvalidInput(
            _("%(where)s: '%(value)s' is not one of %(allowed)s."),
            code="catalogue_invalid",
            where=where,
            value=value,
            allowed=", ".join(allowed),
        )
    return str(value)


def import_catalogue(*, data: dict[str, Any], actor: User | None = None) -> ImportSummary:
    """Create or update everything in `data` by natural key, in one transaction: a document
    with one bad entry changes nothing."""
    summary = ImportSummary()
    with transaction.atomic():
        departments = {}
        for item in data.get("departments", []):
            obj, created = Department.objects.update_or_create(
                code=item["code"], defaults=_texts(item, "name", item["code"])
            )
            departments[obj.code] = obj
            summary.count("departments", created)
        situations = {}
        for item in data.get("life_situations", []):
            defaults: dict[str, Any] = _texts(item, "name", item["code"])
            defaults.update(letter=item["letter"], order=int(item.get("order", 0)))
            obj2, created = LifeSituation.objects.update_or_create(
                code=item["code"], defaults=defaults
            )
            situations[obj2.code] = obj2
            summary.count("life_situations", created)
        registries = {}
        for item in data.get("registries", []):
            obj3, created = Registry.objects.update_or_create(
                code=item["code"], defaults=_texts(item, "name", item["code"])
            )
            registries[obj3.code] = obj3
            summary.count("registries", created)
        for item in data.get("services", []):
            created = _import_service(item, departments, situations, registries)
            summary.count("services", created)
        for item in data.get("bundles", []):
            created = _import_bundle(item)
            summary.count("bundles", created)
        audit.record(
            actor=actor,
            action="catalog.imported",
            object_type="catalog",
            object_id=str(data.get("version", "")),
            data={"created": summary.created, "updated": summary.updated},
        )
        events.publish(
            topic="catalog.changed",
            payload={"created": summary.created, "updated": summary.updated},
        )
    return summary


def _lookup(mapping: dict[str, Any], model: Any, code: str, where: str) -> Any:
    if code in mapping:
        return mapping[code]
    found = model.objects.filter(code=code).first()
    if found is None:
        raise unknown_code(where=where, value=code, code="catalogue_invalid")
    mapping[code] = found
    return found


def _import_service(
    item: dict[str, Any],
    departments: dict[str, Department],
    situations: dict[str, LifeSituation],
    registries: dict[str, Registry],
) -> bool:
    code = str(item["code"]).upper()
    deadline = item.get("deadline", {})
    counter = item.get("counter_decision", {})
    channels = [_choice(c, Channel.values, code) for c in item.get("channels", [])]
    defaults: dict[str, Any] = {
        "department": _lookup(departments, Department, item["department"], code),
        "life_situation": _lookup(situations, LifeSituation, item["life_situation"], code),
        **_texts(item, "name", code),
        **_texts(item, "result", code),
        "deadline_value": int(deadline.get("value", 0)) or 1,
        "deadline_unit": _choice(
            deadline.get("unit", DeadlineUnit.WORKING_DAYS), DeadlineUnit.values, code
        ),
        "fee_mci": _decimal(item.get("fee_mci", "0"), code),
        "channels": channels,
        "counter_decision_allowed": bool(counter.get("allowed", False)),
        "recheck_share": _decimal(counter.get("recheck_share", "0"), code),
        "priority_applies": bool(item.get("priority_applies", True)),
        "target_wait_minutes": int(item.get("target_wait_minutes", 15)),
        "avg_handling_minutes": int(item.get("avg_handling_minutes", 15)),
        "illustrative": bool(item.get("illustrative", True)),
        "source_note": str(item.get("source_note", ""))[:500],
    }
    if defaults["recheck_share"] > 1:
        raise InvalidInput(
            _("%(where)s: the re-check share must be between 0 and 1."),
            code="catalogue_invalid",
            where=code,
        )
    service, created = Service.objects.update_or_create(code=code, defaults=defaults)

    # Child rows are matched by their natural keys and the ones the document no longer lists
    # are removed: the document is the standard, and rows that stay keep their identity.
    tier_keys = []
    for tier in item.get("urgency_tiers", []):
        key = (
            int(tier["working_days"]),
            _choice(tier.get("locality", "any"), Locality.values, code),
        )
        tier_keys.append(key)
        UrgencyTier.objects.update_or_create(
            service=service,
            working_days=key[0],
            locality=key[1],
            defaults={"fee_mci": _decimal(tier["fee_mci"], code)},
        )
    for stale in service.urgency_tiers.all():
        if (stale.working_days, stale.locality) not in tier_keys:
            stale.delete()
    doc_codes = []
    for order, doc in enumerate(item.get("documents", [])):
        source = _choice(doc.get("source", "applicant"), DocumentSource.values, code)
        registry = None
        if doc.get("registry"):
            registry = _lookup(registries, Registry, doc["registry"], code)
        doc_codes.append(doc["code"])
        RequiredDocument.objects.update_or_create(
            service=service,
            code=doc["code"],
            defaults={
                "order": order,
                "source": source,
                "registry": registry,
                **_texts(doc, "name", f"{code}/{doc['code']}"),
            },
        )
    service.documents.exclude(code__in=doc_codes).delete()
    ground_codes = []
    for order, ground in enumerate(item.get("refusal_grounds", [])):
        ground_codes.append(ground["code"])
        RefusalGround.objects.update_or_create(
            service=service,
            code=ground["code"],
            defaults={"order": order, **_texts(ground, "text", f"{code}/{ground['code']}")},
        )
    service.refusal_grounds.exclude(code__in=ground_codes).delete()
    return created


def _import_bundle(item: dict[str, Any]) -> bool:
    code = item["code"]
    defaults = {**_texts(item, "name", code)}
    descriptions = item.get("description")
    if descriptions:
        defaults.update(_texts(item, "description", code))
    bundle, created = LifeEventBundle.objects.update_or_create(code=code, defaults=defaults)
    bundle.items.all().delete()
    services: dict[str, Service] = {}
    for order, service_code in enumerate(item.get("services", [])):
        service = _lookup(services, Service, str(service_code).upper(), code)
        BundleItem.objects.create(bundle=bundle, service=service, order=order)
    return created
