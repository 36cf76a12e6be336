from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.accounts.domain import Role, scope_problem


class User(AbstractUser):
    """Staff member. Citizens are identified by IIN per visit and have no account here."""

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleAssignment(models.Model):
    """A role held by a user within a scope: a centre, a department (and region), a region."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    region = models.ForeignKey(
        "centres.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    windows = models.ManyToManyField(
        "centres.Window",
        verbose_name=_("windows"),
        blank=True,
        help_text=_("Windows an operator may sit at; none means any window of the centre."),
    )

    # Filled by the access funnel's one read (`assignments_with_window_numbers`): the numbers
    # of `windows`; empty means any window of the centre. Not a column.
    window_numbers: set[int]

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        scope = self.centre or self.department or self.region or _("country")
        return f"{self.user} — {Role(self.role).label} ({scope})"

    def clean(self) -> None:
        problem = scope_problem(
            Role(self.role),
            has_centre=self.centre_id is not None,
            has_department=self.department_id is not None,
            has_region=self.region_id is not None,
        )
        if problem:
            raise ValidationError(problem)


class ApiToken(models.Model):
    """A bearer token for the REST API. Only the SHA-256 hash is kept."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
