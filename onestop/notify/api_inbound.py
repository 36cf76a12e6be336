"""The SMS gateway's inbound webhook: a citizen's text message in, an answer by SMS out."""

from __future__ import annotations

from ninja import Router

router = Router()
