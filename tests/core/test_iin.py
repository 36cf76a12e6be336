from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from onestop.core.iin import (
    IIN,
    InvalidIIN,
    Sex,
    check_digit,
    is_valid_iin,
    parse_iin,
    with_check_digit,
)

# Synthetic examples from REFERENCE.md.
VALID: dict[str, tuple[date, Sex]] = {
    "900115312344": (date(1990, 1, 15), "M"),
    "850703400420": (date(1985, 7, 3), "F"),
    "051231590016": (date(2005, 12, 31), "M"),
    "900115300401": (date(1990, 1, 15), "M"),
    "500101312344": (date(1950, 1, 1), "M"),
}


def _first_unissuable_body(prefix: str) -> str:
    # About 1 % of bodies have no check digit; search the serials of one birth date for one.
    for serial in range(10_000):
        body = f"{prefix}{serial:04d}"
        if check_digit(body) is None:
            return body
    raise AssertionError(f"no unissuable body starts with {prefix}")


def _first_issuable(prefix: str) -> str:
    for serial in range(10_000):
        body = f"{prefix}{serial:04d}"
        if check_digit(body) is not None:
            return with_check_digit(body)
    raise AssertionError(f"no issuable body starts with {prefix}")


def _in_other_digits(ascii_digits: str, zero: int) -> str:
    # Written out as code points: ruff (rightly) flags look-alike digits in source text.
    return "".join(chr(zero + int(d)) for d in ascii_digits)


def _reason(raw: str) -> str:
    with pytest.raises(InvalidIIN) as caught:
        parse_iin(raw)
    return caught.value.reason


@pytest.mark.parametrize(("raw", "expected"), VALID.items())
def test_reference_examples_parse_to_their_birth_date_and_sex(
    raw: str, expected: tuple[date, Sex]
) -> None:
    assert parse_iin(raw) == IIN(value=raw, birth_date=expected[0], sex=expected[1])
    assert is_valid_iin(raw)


def test_second_weight_set_gives_the_check_digit_when_the_first_gives_ten() -> None:
    body = "90011530040"
    first_pass = sum(int(d) * w for d, w in zip(body, range(1, 12), strict=True)) % 11
    assert first_pass == 10
    assert check_digit(body) == 1
    assert is_valid_iin("900115300401")


def test_a_wrong_check_digit_is_a_checksum_error() -> None:
    assert _reason("900115312345") == "checksum"
    assert not is_valid_iin("900115312345")


def test_thirtieth_of_february_is_a_date_error_even_with_a_right_check_digit() -> None:
    assert check_digit("90023031234") == 9
    assert _reason("900230312349") == "date"


def test_century_digit_seven_is_a_century_error_even_with_a_right_check_digit() -> None:
    assert check_digit("85070370042") == 5
    assert _reason("850703700425") == "century"


@pytest.mark.parametrize("digit", ["0", "7", "8", "9"])
def test_every_century_digit_outside_one_to_six_is_rejected(digit: str) -> None:
    body = f"900115{digit}1234"
    raw = body + str(check_digit(body) or 0)
    assert _reason(raw) == "century"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "90011531234",  # 11 digits
        "9001153123444",  # 13 digits
        "90011531234a",
        "900115 312344",  # whitespace inside is not "surrounding"
        "900115-312344",
        _in_other_digits("900115312344", 0xFF10),  # full-width digits pass str.isdigit()
        _in_other_digits("900115312344", 0x0660),  # Arabic-Indic digits too
    ],
)
def test_anything_but_twelve_ascii_digits_is_a_format_error(raw: str) -> None:
    assert _reason(raw) == "format"
    assert not is_valid_iin(raw)


def test_surrounding_whitespace_is_ignored_and_not_kept_in_the_value() -> None:
    assert parse_iin(" \t900115312344\n").value == "900115312344"


def test_a_body_without_any_check_digit_is_unissuable_whatever_the_last_digit() -> None:
    body = _first_unissuable_body("9001153")
    for last in "0123456789":
        assert _reason(body + last) == "unissuable"
    with pytest.raises(InvalidIIN) as caught:
        with_check_digit(body)
    assert caught.value.reason == "unissuable"


def test_the_error_message_does_not_repeat_the_number() -> None:
    with pytest.raises(InvalidIIN) as caught:
        parse_iin("900115312345")
    assert "900115312345" not in str(caught.value)


def test_invalid_iin_is_a_value_error() -> None:
    assert issubclass(InvalidIIN, ValueError)


def test_check_digit_rejects_a_body_that_is_not_eleven_digits() -> None:
    with pytest.raises(InvalidIIN) as caught:
        check_digit("9001153123")
    assert caught.value.reason == "format"


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [
        ("1", 1890, "M"),
        ("2", 1890, "F"),
        ("3", 1990, "M"),
        ("4", 1990, "F"),
        ("5", 2090, "M"),
        ("6", 2090, "F"),
    ],
)
def test_the_seventh_digit_gives_century_and_sex(digit: str, year: int, sex: str) -> None:
    iin = parse_iin(_first_issuable(f"900115{digit}"))
    assert iin.birth_date == date(year, 1, 15)
    assert iin.sex == sex


def test_age_counts_full_years_and_changes_on_the_birthday() -> None:
    iin = parse_iin("500101312344")
    assert iin.age_on(date(2025, 12, 31)) == 75
    assert iin.age_on(date(2026, 1, 1)) == 76


def test_someone_born_on_twenty_ninth_february_comes_of_age_on_first_march() -> None:
    iin = parse_iin(_first_issuable("0002295"))
    assert iin.birth_date == date(2000, 2, 29)
    assert iin.age_on(date(2001, 2, 28)) == 0
    assert iin.age_on(date(2001, 3, 1)) == 1
    assert iin.age_on(date(2004, 2, 29)) == 4


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_iin("900115312344").age_on(date(1990, 1, 14))


_CENTURY_DIGITS = {18: (1, 2), 19: (3, 4), 20: (5, 6)}


@given(
    birth=st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    female=st.booleans(),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_with_check_digit_output_parses_back_to_the_same_birth_date_and_sex(
    birth: date, female: bool, serial: int
) -> None:
    digit = _CENTURY_DIGITS[birth.year // 100][1 if female else 0]
    body = f"{birth:%y%m%d}{digit}{serial:04d}"
    assume(check_digit(body) is not None)
    iin = parse_iin(with_check_digit(body))
    assert iin.birth_date == birth
    assert iin.sex == ("F" if female else "M")
