from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from onestop.audit import services as audit
from onestop.audit.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_the_business_transaction() -> None:
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="test.outside")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_record_rolls_back_with_the_change_it_describes() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=None, action="test.rolled_back")
        1 / 0  # noqa: B018
    assert not AuditEntry.objects.filter(action="test.rolled_back").exists()


@pytest.mark.django_db
def test_the_chain_verifies_and_detects_an_edited_entry() -> None:
    with transaction.atomic():
        for n in range(5):
            audit.record(actor=None, action="test.step", data={"n": n})
    assert audit.first_broken_entry() is None
    AuditEntry.objects.filter(seq=3).update(data={"n": 99})
    assert audit.first_broken_entry() == 3


@pytest.mark.django_db
def test_the_chain_detects_a_deleted_entry() -> None:
    with transaction.atomic():
        for n in range(4):
            audit.record(actor=None, action="test.step", data={"n": n})
    AuditEntry.objects.filter(seq=2).delete()
    assert audit.first_broken_entry() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_or_lose_the_chain() -> None:
    threads, per_thread = 6, 15
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for n in range(per_thread):
                with transaction.atomic():
                    audit.record(actor=None, action="test.concurrent", data={"w": worker, "n": n})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="test.concurrent").count() == threads * per_thread
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(
        range(1, threads * per_thread + 1)
    )
    assert audit.first_broken_entry() is None


@pytest.mark.django_db
def test_each_centre_keeps_a_chain_of_its_own_that_verifies_alone() -> None:
    with transaction.atomic():
        for n in range(3):
            audit.record(actor=None, action="test.step", chain="AST-01", data={"n": n})
            audit.record(actor=None, action="test.step", chain="ALA-01", data={"n": n})
        audit.record(actor=None, action="test.national")
    assert audit.chains() == ["", "ALA-01", "AST-01"]
    assert list(AuditEntry.objects.filter(chain="AST-01").values_list("seq", flat=True)) == [
        1,
        2,
        3,
    ]
    AuditEntry.objects.filter(chain="ALA-01", seq=2).update(data={"n": 7})
    assert audit.first_broken_entry("ALA-01") == 2
    assert audit.first_broken_entry("AST-01") is None
    assert audit.first_broken_entry("") is None


@pytest.mark.django_db
def test_a_record_about_a_centres_object_goes_to_that_centres_chain(demo: None) -> None:
    from onestop.centres.models import Window

    window = Window.objects.get(centre__code="ALA-01", number=1)
    with transaction.atomic():
        entry = audit.record(actor=None, action="test.window", target=window)
    assert entry.chain == "ALA-01"
