"""How citizens rate a visit, pure: the five criteria of the Russian one-stop centres' norm
(REFERENCE.md), what counts as a low score, and the follow-up's clock."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    WAITING = "waiting", _("Waiting time")
    SPEED = "speed", _("Speed of service")
    POLITENESS = "politeness", _("Politeness and competence")
    COMFORT = "comfort", _("Comfort of the hall")
    INFORMATION = "information", _("Clarity of information")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone page or SMS link")
    TABLET = "tablet", _("Feedback tablet at the window")
    PORTAL = "portal", _("Portal")


LOW_SCORE = 2  # a score this low on any criterion opens a follow-up for the centre manager
FOLLOW_UP_WORKING_DAYS = 10


def score_problem(scores: Mapping[str, object]) -> str | None:
    """Why a set of scores is not a rating (every criterion, each a whole 1–5), or None."""
    if set(scores) != set(Criterion.values):
        return "criteria"
    for value in scores.values():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            return "range"
    return None


def needs_follow_up(scores: Mapping[str, int]) -> bool:
    return any(value <= LOW_SCORE for value in scores.values())
