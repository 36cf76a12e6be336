from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.notify.inbound_domain import CommandKind


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """The delivery log: every SMS or e-mail OneStop sent or tried to send."""

    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"


class InboundMessage(models.Model):
    """A citizen's text message to OneStop's number, as the gateway delivered it, and the
    answer it got. The gateway's message id makes a retried webhook answer once."""

    sender = models.CharField(_("sender"), max_length=16)
    text = models.CharField(
        _("text"), max_length=2000, help_text=_("As received, with IINs masked.")
    )
    gateway_id = models.CharField(_("gateway message id"), max_length=100, null=True, unique=True)
    received_at = models.DateTimeField(_("received"))
    command = models.CharField(_("command"), max_length=10, choices=CommandKind.choices)
    language = models.CharField(_("language"), max_length=2)
    reply_text = models.CharField(_("answer"), max_length=400)
    reply = models.ForeignKey(
        Message,
        verbose_name=_("answer sent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")

    def __str__(self) -> str:
        return f"{self.sender} → {self.command}"
