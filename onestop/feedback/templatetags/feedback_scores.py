"""Words for the scores 1–5, so that a score is never told by a number or colour alone."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

SCORE_WORDS: dict[int, Promise] = {
    1: _("Very bad"),
    2: _("Bad"),
    3: _("Fair"),
    4: _("Good"),
    5: _("Excellent"),
}


@register.filter
def score_word(score: object) -> str:
    """`{{ n|score_word }}`: "Excellent" for 5; nothing for a value outside 1–5."""
    try:
        word = SCORE_WORDS.get(int(str(score)))
    except ValueError:
        return ""
    return str(word) if word is not None else ""
