from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallCentreConfig(AppConfig):
    name = "onestop.callcentre"
    label = "callcentre"
    verbose_name = _("Call centre")
