from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueConfig(AppConfig):
    name = "onestop.queue"
    label = "queue"
    verbose_name = _("Electronic queue")
