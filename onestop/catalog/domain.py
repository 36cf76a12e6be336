"""Vocabularies of the service standards. Pure, no ORM."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")


class Channel(models.TextChoices):
    CENTRE = "centre", _("Public service centre")
    PORTAL = "portal", _("Portal")
    MOBILE = "mobile", _("Mobile application")
    POST = "post", _("Post")


class Locality(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District centre")
    VILLAGE = "village", _("Village")
    ANY = "any", _("Any locality")


class DocumentSource(models.TextChoices):
    APPLICANT = "applicant", _("Brought by the applicant")
    REGISTRY = "registry", _("Obtained by the centre from state registries")
