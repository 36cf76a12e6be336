from __future__ import annotations

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "onestop.events"
    label = "events"
