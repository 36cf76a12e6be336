"""What the planner's database tests share: the demo centres on a Monday at noon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onestop.centres.models import Centre
from onestop.core import clock
from tests.core.helpers import almaty


@pytest.fixture
def monday(demo: None) -> Iterator[None]:
    with clock.frozen_at(almaty(2026, 11, 30, 12, 0)):
        yield


def demo_centre(code: str = "AST-02") -> Centre:
    return Centre.objects.get(code=code)
