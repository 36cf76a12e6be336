from __future__ import annotations

import copy

import pytest

from onestop.audit.models import AuditEntry
from onestop.catalog.models import (
    Department,
    LifeEventBundle,
    RequiredDocument,
    Service,
)
from onestop.catalog.services import import_catalogue
from onestop.core.errors import InvalidInput
from onestop.events.models import OutboxEvent
from tests.conftest import catalogue_data

pytestmark = pytest.mark.django_db


def test_the_seed_catalogue_holds_25_services_of_3_departments_in_three_languages(
    catalogue: None,
) -> None:
    assert Service.objects.count() == 25
    counts = {d.code: d.services.count() for d in Department.objects.all()}
    assert counts == {"MJ": 16, "ALRM": 4, "MD": 5}
    for service in Service.objects.all():
        assert service.name_kk and service.name_ru and service.name_en
        assert service.documents.exists()
        assert service.refusal_grounds.exists()


def test_documents_are_split_between_the_applicant_and_the_state_registries(
    catalogue: None,
) -> None:
    id_card = Service.objects.get(code="MJ-ID-CARD")
    sources = set(id_card.documents.values_list("source", flat=True))
    assert sources == {"applicant", "registry"}
    assert all(d.registry for d in id_card.documents.filter(source="registry"))


def test_life_event_bundles_are_data_that_name_existing_services(catalogue: None) -> None:
    birth = LifeEventBundle.objects.get(code="birth-of-child")
    assert list(birth.items.values_list("service__code", flat=True)) == [
        "MJ-BIRTH-REG",
        "MJ-RESIDENCE-REG",
    ]


def test_importing_the_same_catalogue_twice_changes_nothing(catalogue: None) -> None:
    document_ids = set(RequiredDocument.objects.values_list("id", flat=True))
    summary = import_catalogue(data=catalogue_data())
    assert summary.created == {}
    assert summary.updated["services"] == 25
    assert Service.objects.count() == 25
    # Documents keep their identity: later applications will point at them.
    assert set(RequiredDocument.objects.values_list("id", flat=True)) == document_ids


def test_a_new_service_is_added_by_data_alone(catalogue: None) -> None:
    data = catalogue_data()
    social = copy.deepcopy(data["services"][0])
    social.update(
        code="MLSP-CARE-ALLOWANCE",
        department="MLSP",
        name={"kk": "Күтім жәрдемақысы", "ru": "Пособие по уходу", "en": "Care allowance"},
    )
    import_catalogue(
        data={
            "departments": [
                {
                    "code": "MLSP",
                    "name": {
                        "kk": "Еңбек және халықты әлеуметтік қорғау министрлігі",
                        "ru": "Министерство труда и социальной защиты населения",
                        "en": "Ministry of Labour and Social Protection",
                    },
                }
            ],
            "services": [social],
        }
    )
    assert Service.objects.get(code="MLSP-CARE-ALLOWANCE").department.code == "MLSP"


def test_a_document_dropped_from_the_standard_is_removed(catalogue: None) -> None:
    data = catalogue_data()
    service = next(s for s in data["services"] if s["code"] == "MJ-ID-CARD")
    dropped = service["documents"].pop()
    import_catalogue(data={"services": [service]})
    codes = set(Service.objects.get(code="MJ-ID-CARD").documents.values_list("code", flat=True))
    assert dropped["code"] not in codes
    assert codes == {d["code"] for d in service["documents"]}


def test_an_entry_without_a_kazakh_name_is_refused_and_nothing_is_written(
    catalogue: None,
) -> None:
    data = catalogue_data()
    before = (Service.objects.count(), AuditEntry.objects.count(), OutboxEvent.objects.count())
    renamed = copy.deepcopy(data["services"][1])
    renamed["name"]["ru"] = "Новое имя"
    broken = copy.deepcopy(data["services"][0])
    broken.update(code="MJ-NEW")
    broken["name"]["kk"] = " "
    with pytest.raises(InvalidInput) as error:
        import_catalogue(data={"services": [renamed, broken]})
    assert "kk" in error.value.detail
    after = (Service.objects.count(), AuditEntry.objects.count(), OutboxEvent.objects.count())
    assert after == before
    assert Service.objects.get(code=renamed["code"]).name_ru != "Новое имя"


def test_an_import_is_audited_and_announced(db: None) -> None:
    import_catalogue(data=catalogue_data())
    entry = AuditEntry.objects.get(action="catalog.imported")
    assert entry.data["created"]["services"] == 25
    assert OutboxEvent.objects.filter(topic="catalog.changed").count() == 1
