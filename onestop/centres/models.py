from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.centres.domain import CentreLevel, DeviceKind, WindowState, valid_hours
from onestop.core.models import Named

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Region(Named):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Centre(Named):
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,4}-[0-9]{2,3}$", _("Like AST-01."))],
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="centres"
    )
    level = models.CharField(_("level"), max_length=10, choices=CentreLevel.choices)
    address_kk = models.CharField(_("address (Kazakh)"), max_length=300)
    address_ru = models.CharField(_("address (Russian)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def address(self) -> str:
        return self.localized("address")


class OpeningHours(models.Model):
    """Weekly hours. Closing at 00:00 means at midnight; 00:00–00:00 is around the clock."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["centre", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["centre", "weekday"], name="unique_weekday_hours")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and not valid_hours(self.opens, self.closes):
            raise ValidationError(_("A centre must close after it opens (00:00 = midnight)."))


class OpeningException(models.Model):
    """A dated change: closed for a holiday, or special hours on one day."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["centre", "date"]
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], name="unique_exception_date")
        ]

    def __str__(self) -> str:
        return f"{self.centre.code} {self.date}"

    def clean(self) -> None:
        if self.closed:
            return
        if self.opens is None or self.closes is None:
            raise ValidationError(_("Give the hours, or mark the day closed."))
        if not valid_hours(self.opens, self.closes):
            raise ValidationError(_("A centre must close after it opens (00:00 = midnight)."))


class Window(models.Model):
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("services"), blank=True, related_name="windows"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=WindowState.choices, default=WindowState.CLOSED
    )

    class Meta:
        ordering = ["centre", "number"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="unique_window_number")
        ]

    def __str__(self) -> str:
        return f"{self.centre.code} / {self.number}"


class Device(models.Model):
    """A kiosk, a display board or a feedback tablet. It authenticates with its own bearer
    token (hash kept). A feedback tablet stands at one window of its centre."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="devices"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeviceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        # A window with a tablet is not deleted on its own; with its whole centre, it is.
        on_delete=models.RESTRICT,
        related_name="devices",
        help_text=_("Required for a feedback tablet: the window it stands at."),
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_issued_at = models.DateTimeField(_("token issued"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["centre", "kind", "name"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="unique_device_name"),
            models.CheckConstraint(
                condition=Q(kind=DeviceKind.TABLET, window__isnull=False)
                | (~Q(kind=DeviceKind.TABLET) & Q(window__isnull=True)),
                name="device_window_iff_tablet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre.code} / {self.name}"

    def clean(self) -> None:
        if self.kind == DeviceKind.TABLET and self.window_id is None:
            raise ValidationError({"window": _("A feedback tablet stands at a window: choose it.")})
        if self.kind != DeviceKind.TABLET and self.window_id is not None:
            raise ValidationError({"window": _("Only a feedback tablet is bound to a window.")})
        if self.window is not None and self.centre_id and self.window.centre_id != self.centre_id:
            raise ValidationError({"window": _("The window must be one of the device's centre.")})
