from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A code sent by SMS to identify the citizen with this IIN. Only its keyed hash is kept;
    the latest code of an IIN is the only one that counts."""

    iin = models.CharField(_("IIN"), max_length=12)
    code_hash = models.CharField(max_length=64)
    phone = models.CharField(_("phone"), max_length=16)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["iin", "created_at"], name="otp_iin_idx")]

    def __str__(self) -> str:
        return f"{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"
