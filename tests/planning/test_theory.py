from __future__ import annotations

import pytest

from onestop.planning import theory


def test_erlang_c_matches_published_values() -> None:
    # M/M/1: the probability of waiting is the utilisation.
    assert theory.erlang_c(1, 0.7) == pytest.approx(0.7)
    # Two servers, one erlang: 1/3. Five servers, four erlangs: 0.5541 (tables).
    assert theory.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert theory.erlang_c(5, 4.0) == pytest.approx(0.55411, abs=1e-5)


def test_an_overloaded_queue_always_waits_and_forever() -> None:
    assert theory.erlang_c(3, 3.0) == 1.0
    assert theory.mmc_mean_wait(arrival_rate=3, service_rate=1, servers=3) == float("inf")


def test_mean_wait_of_mm1_is_rho_over_mu_minus_lambda() -> None:
    assert theory.mmc_mean_wait(arrival_rate=0.5, service_rate=1, servers=1) == pytest.approx(1.0)


def test_priority_classes_average_to_the_fifo_wait() -> None:
    """Conservation: with one service rate, the rate-weighted mean of the class waits is the
    M/M/c mean wait whatever the order of service."""
    rates = [0.8, 3.2]
    waits = theory.mmc_priority_waits(arrival_rates=rates, service_rate=1, servers=5)
    fifo = theory.mmc_mean_wait(arrival_rate=4, service_rate=1, servers=5)
    assert waits[0] < fifo < waits[1]
    assert (rates[0] * waits[0] + rates[1] * waits[1]) / 4 == pytest.approx(fifo)
