"""State registries, behind one interface: who a person is, and the documents a centre
obtains by IIN instead of asking the citizen for them.

The real registries (population, civil status, real estate…) sit behind the government's
data exchange; OneStop talks to them through `RegistryAdapter`. The demo adapter that ships
answers for any valid IIN with a stable made-up person and document references, so the
whole intake works without a network.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from onestop.core.iin import parse_iin


@dataclass(frozen=True)
class Person:
    iin: str
    full_name: str
    birth_date: date


@dataclass(frozen=True)
class RegistryDocument:
    registry: str
    document: str
    reference: str


class RegistryAdapter(Protocol):
    def person(self, iin: str) -> Person | None:
        """The person with this IIN, or None when the registry knows no such person."""

    def document(self, registry: str, document: str, iin: str) -> RegistryDocument | None:
        """The document (by the registry's and the document's codes) for this person."""

    def mobile_phone(self, iin: str) -> str | None:
        """The mobile number (+7XXXXXXXXXX) registered for this IIN in the mobile citizens'
        database, where one-time codes are sent; None when no number is registered."""


_SURNAMES = ("Ахметов", "Серікбаев", "Нұрланов", "Жұмабеков", "Оспанов", "Қасымов", "Исаев")
_NAMES_M = ("Асқар", "Ерлан", "Данияр", "Нұржан", "Болат", "Марат", "Тимур")
_NAMES_F = ("Айгүл", "Динара", "Жанар", "Гүлнар", "Сәуле", "Мадина", "Әсел")


class DemoRegistry:
    """A stand-in for the state registries: every well-formed IIN is somebody, always the
    same somebody; IINs whose serial starts with 9 are unknown (to show that path)."""

    def person(self, iin: str) -> Person | None:
        parsed = parse_iin(iin)
        if iin[7] == "9":
            return None
        seed = int(hashlib.sha256(iin.encode()).hexdigest(), 16)
        surname = _SURNAMES[seed % len(_SURNAMES)]
        if parsed.sex == "F":
            surname += "а"
        first = (_NAMES_F if parsed.sex == "F" else _NAMES_M)[(seed // 7) % 7]
        return Person(iin=iin, full_name=f"{surname} {first}", birth_date=parsed.birth_date)

    def document(self, registry: str, document: str, iin: str) -> RegistryDocument | None:
        if self.person(iin) is None:
            return None
        digest = hashlib.sha256(f"{registry}:{document}:{iin}".encode()).hexdigest()[:10]
        return RegistryDocument(registry, document, f"{registry}-{digest.upper()}")

    def mobile_phone(self, iin: str) -> str | None:
        """+7 70x… made from the IIN, always the same; the unknown people have no number."""
        if self.person(iin) is None:
            return None
        seed = int(hashlib.sha256(f"mobile:{iin}".encode()).hexdigest(), 16)
        return f"+770{seed % 8}{(seed // 8) % 10**7:07d}"


@cache
def _adapter_class(path: str) -> type[RegistryAdapter]:
    return import_string(path)


def registry() -> RegistryAdapter:
    """The configured adapter (`REGISTRY_ADAPTER`), the demo one by default."""
    return _adapter_class(settings.REGISTRY_ADAPTER)()
