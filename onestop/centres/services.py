"""Writes to centres, windows, hours and devices."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.audit import services as audit
from onestop.catalog.models import Service
from onestop.centres.domain import CentreLevel, DeviceKind, WindowState, valid_hours
from onestop.centres.models import Centre, Device, OpeningHours, Region, Window
from onestop.core import clock
from onestop.core.errors import InvalidInput
from onestop.core.imports import texts_from, unknown_code
from onestop.core.tokens import hash_token, new_token
from onestop.events import services as events

if TYPE_CHECKING:
    from onestop.accounts.models import User


def _texts(item: dict[str, Any], key: str) -> dict[str, str]:
    return texts_from(item, key, where=str(item.get("code", "?")), code="centres_invalid")


def _time(value: str, where: str) -> time:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("%(where)s: '%(value)s' is not a time like 09:00."),
            code="centres_invalid",
            where=where,
            value=value,
        ) from None


def import_centres(*, data: dict[str, Any], actor: User | None = None) -> dict[str, int]:
    """Create or update regions, centres, weekly hours and windows by natural key."""
    counts = {"regions": 0, "centres": 0, "windows": 0}
    with transaction.atomic():
        for item in data.get("regions", []):
            Region.objects.update_or_create(code=item["code"], defaults=_texts(item, "name"))
            counts["regions"] += 1
        for item in data.get("centres", []):
            _import_centre(item)
            counts["centres"] += 1
            counts["windows"] += len(item.get("windows", []))
        audit.record(actor=actor, action="centres.imported", object_type="centres", data=counts)
        events.publish(topic="centres.changed", payload=counts)
    return counts


def _import_centre(item: dict[str, Any]) -> Centre:
    code = item["code"]
    if item.get("level") not in CentreLevel.values:
        raise InvalidInput(
            _("%(where)s: unknown level '%(value)s'."),
            code="centres_invalid",
            where=code,
            value=item.get("level"),
        )
    region = Region.objects.filter(code=item["region"]).first()
    if region is None:
        raise unknown_code(where=code, value=item["region"], code="centres_invalid")
    centre, _created = Centre.objects.update_or_create(
        code=code,
        defaults={
            "region": region,
            "level": item["level"],
            **_texts(item, "name"),
            **_texts(item, "address"),
        },
    )
    hours: dict[int, tuple[str, str]] = {
        int(day): (span[0], span[1]) for day, span in item.get("hours", {}).items()
    }
    for weekday, (opens_text, closes_text) in hours.items():
        opens, closes = _time(opens_text, code), _time(closes_text, code)
        if not valid_hours(opens, closes) or weekday not in range(7):
            raise InvalidInput(
                _("%(where)s: impossible opening hours."), code="centres_invalid", where=code
            )
        OpeningHours.objects.update_or_create(
            centre=centre, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
    OpeningHours.objects.filter(centre=centre).exclude(weekday__in=list(hours)).delete()
    for window_item in item.get("windows", []):
        window, _created = Window.objects.get_or_create(
            centre=centre, number=int(window_item["number"])
        )
        codes = [str(c).upper() for c in window_item.get("services", [])]
        services = list(Service.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {s.code for s in services})
        if unknown:
            raise unknown_code(
                where=f"{code}/{window.number}", value=", ".join(unknown), code="centres_invalid"
            )
        window.services.set(services)
    for device_item in item.get("devices", []):
        kind = device_item["kind"]
        if kind not in DeviceKind.values:
            raise InvalidInput(
                _("%(where)s: unknown device kind '%(value)s'."),
                code="centres_invalid",
                where=code,
                value=kind,
            )
        stands_at: Window | None = None
        if kind == DeviceKind.TABLET:
            number = device_item.get("window")
            if isinstance(number, int) and not isinstance(number, bool):
                stands_at = Window.objects.filter(centre=centre, number=number).first()
            if stands_at is None:
                raise InvalidInput(
                    _("%(where)s: a feedback tablet needs one of the centre's windows."),
                    code="centres_invalid",
                    where=f"{code}/{device_item['name']}",
                )
        Device.objects.get_or_create(
            centre=centre, name=device_item["name"], defaults={"kind": kind, "window": stands_at}
        )
    return centre


def issue_device_token(*, device: Device, actor: User | None) -> str:
    """A new bearer token for a device; the previous one stops working at once."""
    raw = new_token()
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(
            token_hash=hash_token(raw), token_issued_at=clock.now()
        )
        audit.record(actor=actor, action="centres.device_token_issued", target=device)
        events.publish(
            topic="centres.device_token_issued",
            payload={"device": device.name},
            centre_code=device.centre.code,
        )
    device.refresh_from_db()
    return raw


def set_window_state(*, window: Window, state: str, only_from: str | None = None) -> bool:
    """Change a window's state (open/paused/closed) inside the caller's transaction, which
    records why; with `only_from`, only when it is in that state now. True when it changed."""
    if state not in WindowState.values:
        raise InvalidInput(_("Unknown window state."), code="invalid_window_state")
    rows = Window.objects.filter(pk=window.pk)
    if only_from is not None:
        rows = rows.filter(state=only_from)
    changed = rows.update(state=state) > 0
    if changed:
        window.state = state
    return changed
