from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and its loader; no models of its own."""

    name = "onestop.demo"
    label = "demo"
