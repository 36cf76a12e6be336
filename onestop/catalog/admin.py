from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from onestop.catalog.domain import Channel
from onestop.catalog.models import (
    BundleItem,
    Department,
    LifeEventBundle,
    LifeSituation,
    RefusalGround,
    Registry,
    RequiredDocument,
    Service,
    UrgencyTier,
)
from onestop.core.admin_audit import AuditedModelAdmin


class ServiceForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Service
        fields = "__all__"  # noqa: DJ007 - the admin edits the whole standard


class UrgencyTierInline(admin.TabularInline):
    model = UrgencyTier
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class RefusalGroundInline(admin.StackedInline):
    model = RefusalGround
    extra = 0


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    form = ServiceForm
    list_display = (
        "code",
        "name_ru",
        "department",
        "life_situation",
        "deadline_value",
        "deadline_unit",
        "fee_mci",
        "counter_decision_allowed",
        "illustrative",
        "is_active",
    )
    list_filter = ("department", "life_situation", "counter_decision_allowed", "is_active")
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    inlines = [RequiredDocumentInline, RefusalGroundInline, UrgencyTierInline]


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")


@admin.register(LifeSituation)
class LifeSituationAdmin(AuditedModelAdmin):
    list_display = ("letter", "code", "name_kk", "name_ru", "name_en", "order")


@admin.register(Registry)
class RegistryAdmin(AuditedModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 0


@admin.register(LifeEventBundle)
class LifeEventBundleAdmin(AuditedModelAdmin):
    list_display = ("code", "name_kk", "name_ru", "name_en")
    inlines = [BundleItemInline]
