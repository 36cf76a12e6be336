from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.catalog.domain import Channel, DeadlineUnit, DocumentSource, Locality
from onestop.core.i18n import Localized
from onestop.core.models import Named

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{0,39}$", _("Use capital Latin letters, digits, hyphens and underscores.")
)


class Department(Named):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class LifeSituation(Named):
    """A group of services around one need (identity documents, family, property...).

    Its letter prefixes ticket numbers (A017) so the hall can tell the groups apart."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    letter = models.CharField(
        _("ticket letter"),
        max_length=1,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital Latin letter."))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")

    def __str__(self) -> str:
        return f"{self.letter} — {self.name}"


class Registry(Named):
    """A state database the centre queries by IIN/BIN instead of asking the citizen."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])

    class Meta:
        ordering = ["code"]
        verbose_name = _("state registry")
        verbose_name_plural = _("state registries")

    def __str__(self) -> str:
        return self.name


class Service(Named):
    """A public service and its standard: what it takes, costs and how long it may last."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="services"
    )
    life_situation = models.ForeignKey(
        LifeSituation,
        verbose_name=_("life situation"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    result_kk = models.CharField(_("result (Kazakh)"), max_length=500)
    result_ru = models.CharField(_("result (Russian)"), max_length=500)
    result_en = models.CharField(_("result (English)"), max_length=500)
    deadline_value = models.PositiveSmallIntegerField(
        _("deadline"), validators=[MinValueValidator(1)]
    )
    deadline_unit = models.CharField(
        _("deadline unit"),
        max_length=20,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
    )
    fee_mci = models.DecimalField(
        _("fee in MCI"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    counter_decision_allowed = models.BooleanField(_("decision at the counter"), default=False)
    recheck_share = models.DecimalField(
        _("share re-checked by the back office"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    priority_applies = models.BooleanField(_("priority groups served first"), default=True)
    target_wait_minutes = models.PositiveSmallIntegerField(_("target waiting minutes"), default=15)
    avg_handling_minutes = models.PositiveSmallIntegerField(
        _("average handling minutes"), default=15, validators=[MinValueValidator(1)]
    )
    illustrative = models.BooleanField(
        _("illustrative figures"),
        default=True,
        help_text=_("Deadline, fee or documents not taken from an official standard."),
    )
    source_note = models.CharField(_("source"), max_length=500, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["department__code", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def channel_list(self) -> list[Channel]:
        return [Channel(c) for c in self.channels if c in Channel.values]


class UrgencyTier(models.Model):
    """A paid faster variant of a service: N working days for a fee that depends on locality."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="urgency_tiers"
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1)]
    )
    locality = models.CharField(
        _("locality"), max_length=10, choices=Locality.choices, default=Locality.ANY
    )
    fee_mci = models.DecimalField(
        _("fee in MCI"),
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["service", "working_days", "locality"]
        verbose_name = _("urgency tier")
        verbose_name_plural = _("urgency tiers")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "working_days", "locality"], name="unique_urgency_tier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service.code}: {self.working_days} / {self.locality}"


class RequiredDocument(Named):
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="documents"
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(
        _("source"), max_length=10, choices=DocumentSource.choices, default=DocumentSource.APPLICANT
    )
    registry = models.ForeignKey(
        Registry,
        verbose_name=_("registry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Where the centre obtains it by IIN, when the source is a registry."),
    )

    class Meta:
        ordering = ["service", "order", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="unique_document_code")
        ]

    def __str__(self) -> str:
        return self.name


class RefusalGround(Localized, models.Model):
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="refusal_grounds"
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["service", "order", "id"]
        verbose_name = _("ground for refusal")
        verbose_name_plural = _("grounds for refusal")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="unique_refusal_ground_code")
        ]

    def __str__(self) -> str:
        return self.localized("text")


class LifeEventBundle(Named):
    """Several services a life event needs, applied for together ("birth of a child")."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    services: models.ManyToManyField[Service, BundleItem] = models.ManyToManyField(
        Service, verbose_name=_("services"), through="BundleItem", related_name="bundles"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("life-event bundle")
        verbose_name_plural = _("life-event bundles")

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(LifeEventBundle, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["bundle", "order"]
        verbose_name = _("service in bundle")
        verbose_name_plural = _("services in bundle")
        constraints = [
            models.UniqueConstraint(fields=["bundle", "service"], name="unique_bundle_service")
        ]

    def __str__(self) -> str:
        return f"{self.bundle.code}: {self.service.code}"
