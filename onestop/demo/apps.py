from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and its loader; no models of its own."""

    name = "onestop.demo"
    label = "demo"
    verbose_name = _("Demo data")
