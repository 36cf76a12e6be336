"""Admin edits go through the same audit trail and event outbox as every other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from onestop.audit import services as audit
from onestop.events import services as events


def _centre_code(obj: models.Model) -> str:
    """The centre an edit belongs to, so that centre's live screens hear about it."""
    if obj._meta.label_lower == "centres.centre":
        return str(getattr(obj, "code", ""))
    centre = getattr(obj, "centre", None)
    return str(getattr(centre, "code", "") or "")


def _log(request: HttpRequest, obj: models.Model, verb: str, fields: list[str]) -> None:
    actor = request.user if request.user.is_authenticated else None
    audit.record(
        actor=actor,
        action=f"admin.{verb}",
        target=obj,
        data={"fields": fields, "repr": str(obj)[:200]},
    )
    events.publish(
        topic=f"{obj._meta.label_lower}.{verb}",
        payload={"id": str(obj.pk), "fields": fields},
        centre_code=_centre_code(obj),
    )


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _log(request, obj, "changed" if change else "added", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _log(request, obj, "deleted", [])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                _log(request, obj, "deleted", [])
            super().delete_queryset(request, queryset)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool
    ) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in getattr(formset, "new_objects", []):
                _log(request, obj, "added", [])
            for obj, fields in getattr(formset, "changed_objects", []):
                _log(request, obj, "changed", list(fields))
            for obj in getattr(formset, "deleted_objects", []):
                _log(request, obj, "deleted", [])


class ReadOnlyAdmin(admin.ModelAdmin):
    """For logs: visible to administrators, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
