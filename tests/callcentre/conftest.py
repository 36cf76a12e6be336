from __future__ import annotations

from tests.cases.conftest import desk, wednesday

__all__ = ["desk", "wednesday"]
