"""Reading a citizen's text message, and keeping the answer within two SMS."""

from __future__ import annotations

import pytest

from onestop.notify.inbound_domain import (
    Command,
    CommandKind,
    fit,
    mask_iins,
    parse,
    segments,
)

NUMBER = "AST-01-20261202-0001"
IIN = "900115312344"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (f"STATUS {NUMBER} {IIN}", "en"),
        (f"status {NUMBER} {IIN}", "en"),
        (f"СТАТУС {NUMBER} {IIN}", "ru"),
        (f"статус {NUMBER} {IIN}", "ru"),
        (f"МӘРТЕБЕ {NUMBER} {IIN}", "kk"),
        (f"мәртебе {NUMBER} {IIN}", "kk"),
        (f"МАРТЕБЕ {NUMBER} {IIN}", "kk"),  # a phone without Kazakh letters
        (f"MÄRTEBE {NUMBER} {IIN}", "kk"),  # the Kazakh Latin alphabet
    ],
)
def test_a_status_command_is_read_in_each_language(text: str, language: str) -> None:
    assert parse(text) == Command(CommandKind.STATUS, language, number=NUMBER, iin=IIN)


def test_latin_letters_typed_for_cyrillic_ones_still_read_as_the_russian_word() -> None:
    # "CTATYC" in Latin letters looks like СТАТУС.
    assert parse(f"CTATYC {NUMBER} {IIN}").language == "ru"


def test_spaces_punctuation_and_an_iin_typed_in_groups_are_tolerated() -> None:
    command = parse(f"  Статус:   {NUMBER.lower()},  900115 312344.  ")
    assert (command.kind, command.number, command.iin) == (CommandKind.STATUS, NUMBER, IIN)


def test_the_iin_may_come_before_the_number() -> None:
    command = parse(f"STATUS {IIN} {NUMBER}")
    assert (command.number, command.iin) == (NUMBER, IIN)


def test_cyrillic_lookalikes_in_an_application_number_become_latin() -> None:
    assert parse(f"STATUS АSТ-01-20261202-0001 {IIN}").number == NUMBER  # Cyrillic А


@pytest.mark.parametrize(
    "text",
    ["STATUS", f"STATUS {NUMBER}", f"STATUS {IIN}", f"STATUS {NUMBER} 90011531234"],
)
def test_a_status_command_without_a_number_and_a_whole_iin_is_incomplete(text: str) -> None:
    command = parse(text)
    assert command.kind == CommandKind.STATUS and not command.complete


@pytest.mark.parametrize(
    ("text", "language"),
    [("BOOKING", "en"), ("бронь", "ru"), ("Жазылу", "kk"), ("book", "en")],
)
def test_booking_alone_asks_how_to_book(text: str, language: str) -> None:
    command = parse(text)
    assert command == Command(CommandKind.BOOKING, language, code="")
    assert command.complete


def test_a_booking_code_is_read_without_its_spaces_and_dashes() -> None:
    assert parse("BOOKING abcd-2345").code == "ABCD2345"
    assert parse("бронь ABCD 2345").code == "ABCD2345"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("CANCEL ABCD2345", "en"),
        ("отмена ABCD2345", "ru"),
        ("БАС ТАРТУ ABCD2345", "kk"),
        ("бас  тарту ABCD2345", "kk"),
        ("BAS TARTU ABCD2345", "kk"),
    ],
)
def test_cancel_is_read_in_each_language_including_the_two_word_kazakh_one(
    text: str, language: str
) -> None:
    assert parse(text) == Command(CommandKind.CANCEL, language, code="ABCD2345")


def test_cancel_without_a_code_is_incomplete() -> None:
    assert not parse("CANCEL").complete


@pytest.mark.parametrize(
    ("text", "language"), [("HELP", "en"), ("помощь", "ru"), ("КӨМЕК", "kk"), ("комек", "kk")]
)
def test_help_is_read_in_each_language(text: str, language: str) -> None:
    assert parse(text) == Command(CommandKind.HELP, language)


@pytest.mark.parametrize("text", ["", "   ", "hello", "сәлем", "STATUSES 1 2", "12345"])
def test_anything_else_is_not_understood_and_has_no_language(text: str) -> None:
    assert parse(text) == Command(CommandKind.UNKNOWN, None)


def test_iins_are_masked_in_the_text_kept_on_file() -> None:
    assert mask_iins(f"СТАТУС {NUMBER} {IIN}") == f"СТАТУС {NUMBER} ••••••••••44"
    assert mask_iins("STATUS X 900115 312344") == "STATUS X ••••••••••44"


def test_a_run_of_more_than_twelve_digits_is_not_taken_for_an_iin() -> None:
    assert mask_iins("1234567890123") == "1234567890123"
    assert mask_iins(NUMBER) == NUMBER


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("{" * 80, 1),  # extension characters take two places
        ("{" * 81, 2),
        ("я" * 70, 1),
        ("я" * 71, 2),
        ("я" * 134, 2),
        ("я" * 135, 3),
    ],
)
def test_sms_parts_are_counted_as_gateways_count_them(text: str, parts: int) -> None:
    assert segments(text) == parts


def test_a_long_answer_is_cut_to_two_parts_with_an_ellipsis() -> None:
    latin = fit("word " * 100)
    assert segments(latin) == 2 and latin.endswith("...")
    cyrillic = fit("слово " * 100)
    assert segments(cyrillic) == 2 and cyrillic.endswith("…")
    assert fit("Short answer.") == "Short answer."
