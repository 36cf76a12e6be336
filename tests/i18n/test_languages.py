from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

from onestop.core.translations import extract_and_check


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) missing")
def test_every_message_of_ours_has_a_kazakh_and_a_russian_translation() -> None:
    problems = extract_and_check(Path(settings.BASE_DIR))
    assert problems == {}, problems


def test_kazakh_dates_are_day_first() -> None:
    with translation.override("kk"):
        assert formats.date_format(date(2026, 3, 21), "SHORT_DATE_FORMAT") == "21.03.2026"
        long = formats.date_format(date(2026, 3, 21))
    assert long.startswith("21 ")
    assert long.endswith("2026 ж.")
    assert "наурыз" in long.lower()


def test_kazakh_numbers_use_a_decimal_comma_and_spaced_thousands() -> None:
    with translation.override("kk"):
        text = formats.number_format(Decimal("1234567.5"), 1, force_grouping=True)
    assert text == "1\xa0234\xa0567,5"


@pytest.mark.parametrize(
    "english",
    [
        "This field is required.",
        "Enter a valid date.",
        "Log in",
        "Select %s to change",
    ],
)
def test_djangos_own_strings_are_in_kazakh(english: str) -> None:
    with translation.override("kk"):
        kazakh = translation.gettext(english)
    assert kazakh != english
    assert any(letter in kazakh.lower() for letter in "әғқңөұүһіа")
