"""Queueing theory the simulator is checked against: Erlang C for M/M/c and the
non-preemptive priority M/M/c result (Cobham) for classes sharing one service rate."""

from __future__ import annotations

import math
from collections.abc import Sequence


def erlang_c(servers: int, offered_load: float) -> float:
    """The probability that an arrival waits, with `offered_load` = λ/μ erlangs (< servers)."""
    if offered_load >= servers:
        return 1.0
    # Erlang B by its stable recursion, then C from B.
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    rho = offered_load / servers
    return blocking / (1 - rho + rho * blocking)


def mmc_mean_wait(*, arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in queue of M/M/c: C(c, a) / (cμ − λ)."""
    load = arrival_rate / service_rate
    if load >= servers:
        return math.inf
    return erlang_c(servers, load) / (servers * service_rate - arrival_rate)


def mmc_priority_waits(
    *, arrival_rates: Sequence[float], service_rate: float, servers: int
) -> list[float]:
    """Mean time in queue per class of a non-preemptive priority M/M/c, highest class first:
    W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), W0 = C(c, a) / (cμ), σ_k = Σ_{i≤k} λ_i / (cμ)."""
    total = sum(arrival_rates)
    capacity = servers * service_rate
    residual = erlang_c(servers, total / service_rate) / capacity
    waits, sigma = [], 0.0
    for rate in arrival_rates:
        before = sigma
        sigma += rate / capacity
        waits.append(residual / ((1 - before) * (1 - sigma)) if sigma < 1 else math.inf)
    return waits
