"""Checks shared by the importers of reference data (catalogue, centres): a document with one
bad entry is refused whole, with a message that says where."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from onestop.core.errors import InvalidInput
from onestop.core.i18n import LANGUAGE_CODES


def texts_from(item: dict[str, Any], key: str, *, where: str, code: str) -> dict[str, str]:
    """`{"name": {"kk": .., "ru": .., "en": ..}}` → `{"name_kk": .., ...}`; all three required."""
    texts = item.get(key) or {}
    missing = [lang for lang in LANGUAGE_CODES if not str(texts.get(lang, "")).strip()]
    if missing:
        raise InvalidInput(
            _("%(where)s: '%(key)s' lacks a text in %(langs)s."),
            code=code,
            where=where,
            key=key,
            langs=", ".join(missing),
        )
    return {f"{key}_{lang}": str(texts[lang]).strip() for lang in LANGUAGE_CODES}


def unknown_code(*, where: str, value: str, code: str) -> InvalidInput:
    return InvalidInput(
        _("%(where)s refers to the unknown code '%(value)s'."),
        code=code,
        where=where,
        value=value,
    )
