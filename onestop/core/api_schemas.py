"""Schemas shared by every router: the error body and multilingual text."""

from __future__ import annotations

from typing import Literal

from ninja import Schema

Lang = Literal["kk", "ru", "en"]


class ErrorOut(Schema):
    detail: str
    code: str


class Texts(Schema):
    kk: str
    ru: str
    en: str


def texts(obj: object, field: str) -> Texts:
    return Texts(
        kk=getattr(obj, f"{field}_kk"),
        ru=getattr(obj, f"{field}_ru"),
        en=getattr(obj, f"{field}_en"),
    )
