from __future__ import annotations

from django.db import models


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it announces.

    The table is the truth; live streams read it in id order and resume from `Last-Event-ID`.
    """

    created_at = models.DateTimeField()
    topic = models.CharField(max_length=80, db_index=True)
    centre_code = models.CharField(max_length=20, blank=True, db_index=True)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.topic}"
