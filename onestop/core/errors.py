"""Errors that the API and the pages turn into a clear 4xx answer in the user's language.

Services raise these; adapters (config/api.py, views) map them to `{"detail", "code"}` JSON or
to a page. Messages are lazy translations so they render in the request's language.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.functional import Promise


class OneStopError(Exception):
    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "bad_request"

    def __init__(self, message: str | Promise, *, code: str | None = None, **params: Any):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.params = params

    def extra(self) -> dict[str, Any]:
        """Fields an API answer carries beside `detail` and `code` (none by default)."""
        return {}

    @property
    def detail(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class InvalidInput(OneStopError):
    status = 422
    default_code = "invalid"


class NotAuthenticated(OneStopError):
    status = 401
    default_code = "not_authenticated"


class PermissionDenied(OneStopError):
    status = 403
    default_code = "forbidden"


class NotFound(OneStopError):
    status = 404
    default_code = "not_found"


class Conflict(OneStopError):
    status = 409
    default_code = "conflict"
