from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onestop.queue import domain
from onestop.queue.domain import TRANSITIONS, Candidate, TicketAction, TicketStatus

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
TARGET = timedelta(minutes=15)


def walk_in(n: int, minutes_ago: float, service: str = "S1", **extra: object) -> Candidate:
    return Candidate(
        id=f"t{n}",
        service=service,
        issued_at=NOW - timedelta(minutes=minutes_ago),
        priority=False,
        target_wait=TARGET,
        sequence=n,
        **extra,  # type: ignore[arg-type]
    )


def order(*candidates: Candidate, services: frozenset[str] = frozenset({"S1"})) -> list[str]:
    return [
        c.id
        for c in domain.dispatch_order(
            candidates, window_number=1, window_services=services, now=NOW
        )
    ]


def test_the_transition_table_allows_exactly_these_moves() -> None:
    S, A = TicketStatus, TicketAction
    allowed = {
        (S.WAITING, A.CALL): S.CALLED,
        (S.WAITING, A.CANCEL): S.CANCELLED,
        (S.WAITING, A.CLOSE): S.CLOSED,
        (S.CALLED, A.RECALL): S.CALLED,
        (S.CALLED, A.START): S.SERVING,
        (S.CALLED, A.NO_SHOW): S.NO_SHOW,
        (S.CALLED, A.TRANSFER): S.WAITING,
        (S.CALLED, A.CLOSE): S.CLOSED,
        (S.SERVING, A.FINISH): S.DONE,
        (S.SERVING, A.TRANSFER): S.WAITING,
        (S.SERVING, A.CLOSE): S.CLOSED,
    }
    for status in TicketStatus:
        for action in TicketAction:
            assert domain.next_status(status, action) == allowed.get((status, action)), (
                status,
                action,
            )
    assert allowed == TRANSITIONS


def test_finished_tickets_accept_no_action_at_all() -> None:
    for status in (
        TicketStatus.DONE,
        TicketStatus.NO_SHOW,
        TicketStatus.CANCELLED,
        TicketStatus.CLOSED,
    ):
        assert all(domain.next_status(status, action) is None for action in TicketAction)


def test_walk_ins_are_called_in_order_of_issue() -> None:
    assert order(walk_in(2, 3), walk_in(1, 5), walk_in(3, 1)) == ["t1", "t2", "t3"]


def test_a_priority_visitor_goes_before_earlier_walk_ins() -> None:
    pensioner = Candidate(
        id="p", service="S1", issued_at=NOW, priority=True, target_wait=TARGET, sequence=9
    )
    assert order(walk_in(1, 10), pensioner, walk_in(2, 5)) == ["p", "t1", "t2"]


def test_a_walk_in_past_the_target_wait_goes_before_a_later_priority_visitor() -> None:
    # Waited 20 minutes with a 15-minute target: aged 5 minutes ago; the pensioner came 2 ago.
    pensioner = Candidate(
        id="p",
        service="S1",
        issued_at=NOW - timedelta(minutes=2),
        priority=True,
        target_wait=TARGET,
        sequence=9,
    )
    assert order(pensioner, walk_in(1, 20)) == ["t1", "p"]


def test_a_booked_visitor_is_served_at_the_slot_and_not_before() -> None:
    due = walk_in(5, 1, slot_at=NOW - timedelta(minutes=1))
    early = walk_in(6, 1, slot_at=NOW + timedelta(minutes=30))
    assert order(walk_in(1, 10), due, early) == ["t5", "t1", "t6"]


def test_a_window_calls_only_its_services_and_tickets_sent_to_it() -> None:
    other_service = walk_in(1, 30, service="S2")
    sent_elsewhere = walk_in(2, 30, target_window=7)
    sent_here = walk_in(3, 1, target_window=1)
    assert order(other_service, sent_elsewhere, sent_here, walk_in(4, 2)) == ["t4", "t3"]


def test_a_transferred_ticket_keeps_its_place_by_the_original_issue_time() -> None:
    transferred = walk_in(1, 12, target_window=1)  # issued 12 minutes ago, back in the queue
    assert order(walk_in(2, 5), transferred) == ["t1", "t2"]


candidates = st.lists(
    st.builds(
        Candidate,
        id=st.uuids().map(str),
        service=st.sampled_from(["S1", "S2", "S3"]),
        issued_at=st.integers(0, 240).map(lambda m: NOW - timedelta(minutes=m)),
        priority=st.booleans(),
        target_wait=st.sampled_from([timedelta(minutes=10), TARGET, timedelta(minutes=30)]),
        slot_at=st.one_of(
            st.none(), st.integers(-60, 60).map(lambda m: NOW + timedelta(minutes=m))
        ),
        target_window=st.one_of(st.none(), st.integers(1, 3)),
        sequence=st.integers(1, 999),
    ),
    max_size=40,
    unique_by=lambda c: c.id,
)


@given(candidates, st.sets(st.sampled_from(["S1", "S2", "S3"])), st.integers(1, 3))
def test_dispatch_returns_every_eligible_ticket_once_and_nothing_else(
    pool: list[Candidate], services: set[str], window: int
) -> None:
    chosen = domain.dispatch_order(
        pool, window_number=window, window_services=frozenset(services), now=NOW
    )
    expected = {c.id for c in pool if domain.eligible(c, window, frozenset(services))}
    assert [c.id for c in chosen] == [c.id for c in chosen if c.id in expected]
    assert {c.id for c in chosen} == expected
    assert len(chosen) == len(expected)


@given(candidates)
def test_no_plain_walk_in_is_ever_called_before_a_priority_visitor(pool: list[Candidate]) -> None:
    chosen = domain.dispatch_order(
        pool, window_number=1, window_services=frozenset({"S1", "S2", "S3"}), now=NOW
    )
    keys = [domain.dispatch_key(c, NOW) for c in chosen]
    assert keys == sorted(keys)
    for i, first in enumerate(chosen):
        for later in chosen[i + 1 :]:
            if later.priority and later.slot_at is None and not first.priority:
                # Only a booked visitor at the slot or an aged walk-in may precede priority.
                assert domain.dispatch_key(first, NOW)[0] == 0


@given(candidates)
def test_among_fresh_walk_ins_the_earlier_issued_is_called_first(pool: list[Candidate]) -> None:
    fresh = [
        c
        for c in pool
        if not c.priority and c.slot_at is None and c.issued_at + c.target_wait > NOW
    ]
    chosen = [
        c
        for c in domain.dispatch_order(
            fresh, window_number=1, window_services=frozenset({"S1", "S2", "S3"}), now=NOW
        )
    ]
    times = [(c.issued_at, c.sequence) for c in chosen]
    assert times == sorted(times)


def test_the_estimate_shares_the_people_ahead_among_the_open_windows() -> None:
    assert domain.estimated_wait_minutes(people_ahead=6, open_windows=3, handling_minutes=10) == 20
    assert domain.estimated_wait_minutes(people_ahead=0, open_windows=2, handling_minutes=10) == 0
    # No window open: assume one opens rather than divide by zero or promise nothing.
    assert domain.estimated_wait_minutes(people_ahead=2, open_windows=0, handling_minutes=7.5) == 15


def test_ticket_numbers_carry_the_group_letter_and_three_digits() -> None:
    assert domain.ticket_number("A", 17) == "A017"
    assert domain.ticket_number("C", 1234) == "C1234"
