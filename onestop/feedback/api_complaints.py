"""Complaints over the API: registration and look-up for citizens and partners, and the staff
endpoints to assign, answer and escalate."""

from __future__ import annotations

from ninja import Router

router = Router()
