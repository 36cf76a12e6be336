"""The receipt and the missing-documents list are real PDFs: read them back and find every word."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import segno
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageChops
from pypdf import PdfReader

from onestop.cases.printouts import (
    MissingDocuments,
    Receipt,
    ReceiptLine,
    format_date,
    format_tenge,
    missing_documents_pdf,
    receipt_pdf,
)

LANGUAGES = ["kk", "ru", "en"]
FULL_IIN = "900115300744"
MASKED_IIN = "90011•••••44"
STATUS_URL = "https://onestop.example.kz/status/?number=AST-01-20261130-0007"
KAZAKH_LETTERS = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"


def receipt(language: str, **changes: object) -> Receipt:
    base = Receipt(
        number="AST-01-20261130-0007",
        language=language,
        centre_name="Астана қаласының ХҚКО",
        registered_at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC),  # 14:05 in Almaty
        applicant_name="Сәрсенбаева Гүлнұр Өміртайқызы",
        applicant_iin_masked=MASKED_IIN,
        representative="Ұлықбек Нұрлан, power of attorney No. 17/2026",
        lines=[
            ReceiptLine("00101", "Жеке куәлік алу", date(2026, 12, 4), Decimal("2241"), ""),
            ReceiptLine(
                "00215",
                "Тұрғылықты жері бойынша тіркеу (registration of the place of residence of a "
                "citizen of the Republic of Kazakhstan, with a name long enough to wrap)",
                date(2026, 12, 15),
                Decimal("0"),
                "Шұғыл",
            ),
        ],
        documents_accepted=["Өтініш", "Фотосурет 3×4", "Пәтерге меншік құқығын растайтын құжат"],
        documents_from_registries=["Туу туралы куәлік (ЖАЗ)", "Мекенжай анықтамасы"],
        fee_paid_tenge=Decimal("2241"),
        status_url=STATUS_URL,
        operator_name="Оператор Айгерім Қ.",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def sheet(language: str, **changes: object) -> MissingDocuments:
    base = MissingDocuments(
        language=language,
        centre_name="Астана қаласының ХҚКО",
        service_name="Жеке куәлік алу",
        printed_at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC),
        missing=["Туу туралы куәлік", "Бұрынғы жеке куәлік немесе оны жоғалту туралы өтініш"],
        grounds=[
            "Құжаттар топтамасы толық емес (мемлекеттік көрсетілетін қызмет стандартының 8-т.)",
            "Ұсынылған құжаттардың жарамдылық мерзімі өткен",
        ],
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def flat(text: str) -> str:
    """Line breaks from wrapping and (non-breaking) spaces all become one space."""
    return " ".join(text.split())


def read(data: bytes) -> tuple[PdfReader, str]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return reader, flat(" ".join(page.extract_text() for page in reader.pages))


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_says_everything_the_citizen_needs_in_their_language(language: str) -> None:
    data = receipt(language)
    reader, text = read(receipt_pdf(data))

    assert flat(gettext_in(language, "Receipt of application")) in text
    assert data.number in text
    assert data.centre_name in text
    assert "30.11.2026 14:05" in text  # registered_at in Almaty time, not UTC
    for line in data.lines:
        assert flat(line.service_name) in text
        assert format_date(line.deadline) in text
    assert "04.12.2026" in text and "15.12.2026" in text  # day first, in English too
    with translation.override(language):
        fee = flat(format_tenge(Decimal("2241")))
        free = gettext("free of charge")
    assert fee in text and free in text
    assert fee == ("2,241 ₸" if language == "en" else "2 241 ₸")
    for document in data.documents_accepted + data.documents_from_registries:
        assert document in text
    assert MASKED_IIN in text
    assert FULL_IIN not in text
    assert not re.search(r"\d{12}", text.replace(" ", ""))  # no IIN-like run of 12 digits
    assert data.representative in text
    assert data.operator_name in text

    assert reader.metadata is not None
    assert (
        reader.metadata.title == f"{gettext_in(language, 'Receipt of application')} {data.number}"
    )
    assert reader.root_object["/Lang"] == language
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (210, 297)


def test_labels_are_translated_into_kazakh_and_russian() -> None:
    """Fails until the msgids of printouts.py are in locale/kk and locale/ru."""
    for message in (
        "Receipt of application",
        "Application number",
        "Documents accepted",
        "Fee paid",
        "The application could not be accepted",
        "Documents missing",
        "Grounds",
        "You may apply again with the full set of documents; no fee was taken.",
    ):
        kazakh, russian = gettext_in("kk", message), gettext_in("ru", message)
        assert kazakh != message, message
        assert russian != message, message
        assert kazakh != russian, message
    for language in ("kk", "ru"):
        label = gettext_in(language, "Receipt of application")
        assert label != "Receipt of application"
        assert label in read(receipt_pdf(receipt(language)))[1]


def test_kazakh_letters_survive_the_pdf() -> None:
    data = receipt(
        "kk",
        applicant_name=f"Тест {KAZAKH_LETTERS}",
        lines=[ReceiptLine("00101", "Жеке куәлік алу", date(2026, 12, 4), Decimal("2241"), "")],
    )
    _, text = read(receipt_pdf(data))
    assert "Жеке куәлік алу" in text
    assert "Астана қаласының ХҚКО" in text
    assert KAZAKH_LETTERS in text


def test_a_long_receipt_spans_pages_and_loses_nothing() -> None:
    documents = [
        f"Құжат №{n}: нотариат куәландырған көшірме, апостиль қойылған және мемлекеттік тілге "
        f"аударылған, a deliberately long document name that has to wrap over lines ({n})"
        for n in range(1, 61)
    ]
    lines = [
        ReceiptLine(
            f"00{n}", f"Қызмет {n}: " + "өте ұзақ атау " * 12, date(2027, 1, n), Decimal(n), ""
        )
        for n in range(1, 8)
    ]
    reader, text = read(receipt_pdf(receipt("ru", documents_accepted=documents, lines=lines)))
    pages = len(reader.pages)
    assert pages > 1
    for n, document in enumerate(documents, start=1):
        assert f"{n}. {document}" in text
    for line in lines:
        assert flat(line.service_name) in text
    page_label = gettext_in("ru", "Page %(page)s of %(pages)s")
    assert page_label % {"page": pages, "pages": pages} in text  # the total is filled in
    assert reader.pages[0].images  # the QR code stays on the first page


def test_the_qr_code_on_the_first_page_leads_to_the_status_page() -> None:
    url = "https://onestop.example.kz/kk/status/?number=AST-01-20261130-0007&check=abcdefghijklmno"
    reader, text = read(receipt_pdf(receipt("en", status_url=url)))
    images = reader.pages[0].images
    assert len(images) == 1
    assert images[0].image is not None
    printed = images[0].image.convert("L")
    png = io.BytesIO()
    segno.make(url, error="m").save(png, kind="png", scale=10, border=2)
    expected = Image.open(png).convert("L")
    assert printed.size == expected.size
    assert ImageChops.difference(printed, expected).getbbox() is None  # pixel for pixel
    assert url in text.replace(" ", "")  # and the URL in print, however it wrapped


def test_a_naive_registration_time_is_refused() -> None:
    with pytest.raises(ValueError):
        receipt_pdf(receipt("kk", registered_at=datetime(2026, 11, 30, 14, 5)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_missing_documents_sheet_lists_every_document_and_ground(language: str) -> None:
    data = sheet(language)
    reader, text = read(missing_documents_pdf(data))
    with translation.override(language):
        for message in (
            "The application could not be accepted",
            "Documents missing",
            "Grounds",
            "You may apply again with the full set of documents; no fee was taken.",
        ):
            assert flat(gettext(message)) in text
    assert data.service_name in text
    assert data.centre_name in text
    assert "30.11.2026 14:05" in text
    for n, document in enumerate(data.missing, start=1):
        assert f"{n}. {document}" in text
    for n, ground in enumerate(data.grounds, start=1):
        assert f"{n}. {ground}" in text
    assert reader.root_object["/Lang"] == language


def test_a_long_missing_documents_sheet_spans_pages() -> None:
    missing = [f"Жетіспейтін құжат {n}: " + "ұзын атауы бар анықтама " * 6 for n in range(50)]
    reader, text = read(missing_documents_pdf(sheet("kk", missing=missing)))
    assert len(reader.pages) > 1
    for document in missing:
        assert flat(document) in text
    closing = gettext_in(
        "kk", "You may apply again with the full set of documents; no fee was taken."
    )
    assert flat(closing) in text


def test_money_keeps_tiyn_and_dates_are_day_first_in_every_language() -> None:
    with translation.override("kk"):
        assert format_tenge(Decimal("1234567")) == "1\xa0234\xa0567\xa0₸"
        assert format_tenge(Decimal("2162.5")) == "2\xa0162,50\xa0₸"
    with translation.override("ru"):
        assert format_tenge(Decimal("2241.00")) == "2\xa0241\xa0₸"
    with translation.override("en"):
        assert format_tenge(Decimal("2241")) == "2,241\xa0₸"
        assert format_date(date(2026, 3, 1)) == "01.03.2026"  # never the American 03/01/2026
