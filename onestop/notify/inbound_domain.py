"""Inbound SMS, pure: what a citizen's text message asks for, and how long an answer may be.

Commands (any case, extra spaces, Cyrillic/Latin lookalike letters tolerated):

    STATUS | СТАТУС | МӘРТЕБЕ <application number> <IIN>
    BOOKING | БРОНЬ | ЖАЗЫЛУ [<booking code>]
    CANCEL | ОТМЕНА | БАС ТАРТУ <booking code>
    HELP | ПОМОЩЬ | КӨМЕК

The language of the command word is the language of the answer. No ORM here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommandKind(models.TextChoices):
    STATUS = "status", _("Application status")
    BOOKING = "booking", _("Booking")
    CANCEL = "cancel", _("Cancel a booking")
    HELP = "help", _("Help")
    UNKNOWN = "unknown", _("Not understood")


K = CommandKind

# The words each language uses, as the answers and the help text spell them.
COMMAND_WORDS: dict[str, dict[CommandKind, str]] = {
    "kk": {K.STATUS: "МӘРТЕБЕ", K.BOOKING: "ЖАЗЫЛУ", K.CANCEL: "БАС ТАРТУ", K.HELP: "КӨМЕК"},
    "ru": {K.STATUS: "СТАТУС", K.BOOKING: "БРОНЬ", K.CANCEL: "ОТМЕНА", K.HELP: "ПОМОЩЬ"},
    "en": {K.STATUS: "STATUS", K.BOOKING: "BOOKING", K.CANCEL: "CANCEL", K.HELP: "HELP"},
}

# Every spelling understood: the words above, a few synonyms, and Kazakh in its Latin alphabet.
_SPELLINGS: tuple[tuple[str, CommandKind, str], ...] = (
    *((word, kind, lang) for lang, words in COMMAND_WORDS.items() for kind, word in words.items()),
    ("BOOK", K.BOOKING, "en"),
    ("ЗАПИСЬ", K.BOOKING, "ru"),
    ("ОТМЕНИТЬ", K.CANCEL, "ru"),
    ("СПРАВКА", K.HELP, "ru"),
    ("БАСТАРТУ", K.CANCEL, "kk"),
    ("MÄRTEBE", K.STATUS, "kk"),
    ("JAZYLU", K.BOOKING, "kk"),
    ("BAS TARTU", K.CANCEL, "kk"),
    ("KÖMEK", K.HELP, "kk"),
)

# Letters that look alike (or that a phone without a Kazakh keyboard replaces) map to one
# form before comparing: Kazakh letters to their plain Cyrillic base, Cyrillic capitals to
# the Latin capitals they look like, Kazakh-Latin diacritics dropped.
_KAZAKH_BASE = str.maketrans("ӘӨҚҮҰҒҢҺІЁÄÖÜ", "АОКУУГНХIЕAOU")
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "_": "-"})
_SEPARATORS = re.compile(r"[,;:!?«»\"'()]+")


def _skeleton(word: str) -> str:
    return word.upper().translate(_KAZAKH_BASE).translate(_LOOKALIKES)


_KEYWORDS: dict[tuple[str, ...], tuple[CommandKind, str]] = {
    tuple(_skeleton(part) for part in spelling.split()): (kind, lang)
    for spelling, kind, lang in _SPELLINGS
}

IIN_DIGITS = 12
MAX_CODE_LENGTH = 16


@dataclass(frozen=True)
class Command:
    """What a message asks. `language` is None when the message was not understood."""

    kind: CommandKind
    language: str | None
    number: str = ""  # STATUS: the application number
    iin: str = ""  # STATUS: the applicant's IIN (used for the look-up, never answered back)
    code: str = ""  # BOOKING / CANCEL: the booking code

    @property
    def complete(self) -> bool:
        """Whether the command carries what it needs (BOOKING alone is complete)."""
        if self.kind == K.STATUS:
            return bool(self.number and self.iin)
        if self.kind == K.CANCEL:
            return bool(self.code)
        return True


def parse(text: str) -> Command:
    words = _SEPARATORS.sub(" ", text or "").translate(_DASHES).split()
    tokens = [word.strip(".") for word in words if word.strip(".")]
    for width in (2, 1):
        head = tuple(_skeleton(token) for token in tokens[:width])
        if len(head) == width and head in _KEYWORDS:
            kind, language = _KEYWORDS[head]
            return _with_arguments(kind, language, tokens[width:])
    return Command(K.UNKNOWN, None)


def _with_arguments(kind: CommandKind, language: str, rest: list[str]) -> Command:
    if kind == K.STATUS:
        number, iin = _number_and_iin(rest)
        return Command(kind, language, number=number, iin=iin)
    if kind in (K.BOOKING, K.CANCEL):
        return Command(kind, language, code=_code(rest))
    return Command(kind, language)


def _latin(raw: str) -> str:
    """An application number or booking code as stored: Latin capitals (Cyrillic lookalikes
    typed by mistake become the Latin letters they look like)."""
    return raw.upper().translate(_LOOKALIKES)


def _iin_at_end(tokens: list[str]) -> tuple[int, str]:
    """How many tokens at the end are digits making up an IIN's length, and those digits."""
    digits, taken = "", 0
    for token in reversed(tokens):
        if not token.isdigit() or len(digits) >= IIN_DIGITS:
            break
        digits, taken = token + digits, taken + 1
    return taken, digits


def _number_and_iin(rest: list[str]) -> tuple[str, str]:
    """`<number> <IIN>` (the documented order) or `<IIN> <number>`; the IIN may be typed in
    groups of digits ("900115 312344")."""
    taken, digits = _iin_at_end(rest)
    if len(digits) == IIN_DIGITS and taken < len(rest):
        return _latin("".join(rest[: len(rest) - taken])), digits
    taken, _ = _iin_at_end(rest[::-1])  # only how many: the digits read backwards
    digits = "".join(rest[:taken])
    if len(digits) == IIN_DIGITS and taken < len(rest):
        return _latin("".join(rest[taken:])), digits
    return "", ""


def _code(rest: list[str]) -> str:
    """A booking code as typed: spaces and dashes inside it do not matter."""
    return _latin("".join(rest)).replace("-", "")[:MAX_CODE_LENGTH]


_IIN_IN_TEXT = re.compile(r"(?<![\d-])(\d ?){11}\d(?![\d-])")


def mask_iins(text: str) -> str:
    """The text to keep on file: every IIN-like run of 12 digits masked but its last two."""

    def mask(found: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", found.group(0))
        return "•" * (IIN_DIGITS - 2) + digits[-2:]

    return _IIN_IN_TEXT.sub(mask, text)


# --- How long an answer may be ---------------------------------------------------------------

# GSM 03.38: one septet each for the basic set, two for the extension set; anything else makes
# the whole message UCS-2.
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
MAX_SEGMENTS = 2


def is_gsm(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text)


def segments(text: str) -> int:
    """How many SMS a text takes: 160 GSM characters or 70 UCS-2 ones in one; 153 or 67 per
    part once it is split."""
    if is_gsm(text):
        length, single, part = len(text) + sum(ch in _GSM_EXTENSION for ch in text), 160, 153
    else:
        length, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    if length <= single:
        return 1
    return -(-length // part)


def fit(text: str, max_segments: int = MAX_SEGMENTS) -> str:
    """The text cut (with an ellipsis) to at most `max_segments` parts."""
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    if segments(text) <= max_segments:
        return text
    ellipsis = "..." if is_gsm(text) else "…"
    cut = text
    while cut and segments(cut.rstrip() + ellipsis) > max_segments:
        cut = cut[:-1]
    return cut.rstrip(" ,.;:") + ellipsis
