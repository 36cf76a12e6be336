from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from onestop.core import clock
from onestop.core.errors import NotFound
from onestop.core.models import CalendarOverride
from onestop.core.money import mci_to_tenge
from onestop.core.selectors import fee_in_tenge, mci_value, working_calendar
from onestop.core.services import set_mci
from tests.core.helpers import almaty


@pytest.mark.django_db
def test_a_decreed_working_saturday_from_the_table_shortens_a_deadline() -> None:
    friday = date(2026, 12, 4)
    assert working_calendar().add_working_days(friday, 1) == date(2026, 12, 7)
    CalendarOverride.objects.create(date=date(2026, 12, 5), is_working=True, decree="test")
    assert working_calendar().add_working_days(friday, 1) == date(2026, 12, 5)


@pytest.mark.django_db
def test_a_decreed_day_off_from_the_table_lengthens_a_deadline() -> None:
    CalendarOverride.objects.create(date=date(2026, 12, 7), is_working=False)
    assert working_calendar().add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 8)


def test_fees_in_mci_become_whole_tenge_rounded_half_up() -> None:
    assert mci_to_tenge(Decimal("0.2"), Decimal("4325")) == Decimal("865")
    assert mci_to_tenge(Decimal("0.5"), Decimal("3931")) == Decimal("1966")  # 1965.5
    assert mci_to_tenge(Decimal("0"), Decimal("4325")) == Decimal("0")


@pytest.mark.django_db
def test_the_fee_uses_the_mci_of_the_year_it_is_paid_in() -> None:
    set_mci(year=2025, tenge=Decimal("3932"))
    set_mci(year=2026, tenge=Decimal("4325"))
    assert fee_in_tenge(Decimal("1"), on=date(2025, 12, 31)) == Decimal("3932")
    assert fee_in_tenge(Decimal("1"), on=date(2026, 1, 1)) == Decimal("4325")
    assert fee_in_tenge(Decimal("1"), on=date(2030, 1, 1)) is None
    with clock.frozen_at(almaty(2030, 1, 1)), pytest.raises(NotFound):
        mci_value()


def test_the_frozen_clock_gives_the_almaty_date() -> None:
    # 20:30 UTC on 31 December is already 1 January in Astana (UTC+5).
    with clock.frozen_at(almaty(2027, 1, 1, 1, 30)):
        assert clock.today() == date(2027, 1, 1)
        assert clock.now().utcoffset() is not None


def test_production_settings_pass_djangos_deployment_checks() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60 + "production-like-secret-for-the-check",
        "ALLOWED_HOSTS": "onestop.example.kz",
        "DATABASE_URL": "sqlite:///" + str(settings.BASE_DIR / "var" / "deploy-check.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_in_production_without_a_secret_key() -> None:
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
