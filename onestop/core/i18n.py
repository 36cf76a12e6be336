"""Language helpers: the three languages, `?lang=`, and picking a field in the right language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_CODES: tuple[str, ...] = ("kk", "ru", "en")
NATIVE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def current_language() -> str:
    lang = (translation.get_language() or "kk").split("-")[0]
    return lang if lang in LANGUAGE_CODES else "kk"


def pick(obj: Any, field: str, lang: str | None = None) -> str:
    """`obj.<field>_<lang>`, falling back to the other languages when a translation is empty."""
    lang = lang or current_language()
    for code in (lang, *(c for c in LANGUAGE_CODES if c != lang)):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class Localized:
    """Mixin for models with `<field>_kk/_ru/_en` columns."""

    def localized(self, field: str, lang: str | None = None) -> str:
        return pick(self, field, lang)

    @property
    def name(self) -> str:
        return pick(self, "name")


class QueryLanguageMiddleware:
    """`?lang=ru` beats the cookie and Accept-Language for that one request (kiosks, API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.GET.get("lang", "").lower()
        if lang in LANGUAGE_CODES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", lang)
            return response
        return self.get_response(request)


def language_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "onestop_languages": [(code, NATIVE_NAMES[code]) for code in LANGUAGE_CODES],
        "onestop_language": current_language(),
    }
