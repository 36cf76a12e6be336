"""The live centre view ("Situational Centre" for one centre) and its staff wellbeing, read
from one centre's rows of its current local day: bounded by one day of one centre.

The live view carries no personal data: no IIN, no citizen, no member of staff. Operator-level
figures are only in `wellbeing`, which only the centre's own management may see
(onestop.monitoring.live_access)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q

from onestop.accounts.models import User
from onestop.catalog.models import LifeSituation, Service
from onestop.centres.models import Centre, Window
from onestop.core import clock
from onestop.events.streams import latest_event_id
from onestop.monitoring import live_domain as rules
from onestop.queue.bookings_domain import BookingStatus
from onestop.queue.domain import TicketStatus
from onestop.queue.models import Booking, Break, Ticket, WindowSession

BOOKING_HORIZON = timedelta(hours=1)


def max_continuous_minutes() -> int:
    """Served longer than this without a break raises the wellbeing alert."""
    return int(settings.WELLBEING_MAX_CONTINUOUS_MINUTES)


@dataclass(frozen=True)
class LiveGroup:
    letter: str
    names: dict[str, str]
    waiting: int
    longest_wait_minutes: int
    target_minutes: int  # the smallest target wait among the group's services here
    over_target: int  # waiting tickets past their own service's target
    breach: bool


@dataclass(frozen=True)
class LiveWindow:
    number: int
    activity: str  # closed / paused / serving / idle


@dataclass(frozen=True)
class LiveWindows:
    total: int
    open: int
    serving: int
    idle: int
    paused: int
    closed: int


@dataclass(frozen=True)
class LiveToday:
    issued: int
    waiting: int
    served: int
    no_shows: int
    average_wait_minutes: float | None
    average_handling_minutes: float | None


@dataclass(frozen=True)
class LiveView:
    centre: str
    centre_names: dict[str, str]
    generated_at: datetime
    last_event_id: int
    groups: list[LiveGroup]
    windows: LiveWindows
    window_list: list[LiveWindow]
    today: LiveToday
    booked_next_hour: int

    @property
    def breaches(self) -> list[LiveGroup]:
        return [group for group in self.groups if group.breach]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["generated_at"] = self.generated_at.isoformat()
        return data


@dataclass(frozen=True)
class OperatorLoad:
    username: str
    name: str
    window: int | None  # the window they sit at now
    on_break: bool
    continuous_minutes: int
    breaks: int
    break_minutes: int
    served: int
    share_percent: int
    needs_break: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def day_start(now: datetime) -> datetime:
    """The start of the centre's local day that `now` falls in."""
    local = now.astimezone(clock.ALMATY)
    return datetime.combine(local.date(), time.min, tzinfo=clock.ALMATY)


def _names(obj: Any, field: str) -> dict[str, str]:
    return {code: str(obj.localized(field, code)) for code in ("kk", "ru", "en")}


def _groups(centre: Centre, waiting: list[Ticket], now: datetime) -> list[LiveGroup]:
    offered = list(
        Service.objects.filter(windows__centre=centre)
        .distinct()
        .values_list("life_situation_id", "target_wait_minutes")
    )
    targets: dict[int, int] = {}
    for situation_id, target in offered:
        targets[situation_id] = min(target, targets.get(situation_id, target))
    by_group: dict[int, list[rules.Waiter]] = defaultdict(list)
    for ticket in waiting:
        situation_id = ticket.service.life_situation_id
        by_group[situation_id].append(
            rules.Waiter(
                waiting_since=rules.wait_start(ticket.issued_at, ticket.slot_at),
                target_minutes=ticket.service.target_wait_minutes,
            )
        )
        target = ticket.service.target_wait_minutes
        targets[situation_id] = min(target, targets.get(situation_id, target))
    situations = LifeSituation.objects.filter(pk__in=targets).order_by("order", "code")
    groups = []
    for situation in situations:
        wait = rules.group_wait(by_group[situation.pk], now)
        groups.append(
            LiveGroup(
                letter=situation.letter,
                names=_names(situation, "name"),
                waiting=wait.waiting,
                longest_wait_minutes=wait.longest_wait_minutes,
                target_minutes=targets[situation.pk],
                over_target=wait.over_target,
                breach=wait.over_target > 0,
            )
        )
    return groups


def _open_sessions(centre: Centre) -> dict[int, WindowSession]:
    sessions = WindowSession.objects.filter(window__centre=centre, closed_at__isnull=True)
    return {session.window_id: session for session in sessions}


def _windows(centre: Centre) -> tuple[LiveWindows, list[LiveWindow]]:
    sessions = _open_sessions(centre)
    on_break = set(
        Break.objects.filter(session__in=sessions.values(), ended_at__isnull=True).values_list(
            "session__window_id", flat=True
        )
    )
    busy = set(
        Ticket.objects.filter(
            centre=centre,
            status__in=[TicketStatus.CALLED, TicketStatus.SERVING],
            window__isnull=False,
        ).values_list("window_id", flat=True)
    )
    listed = [
        LiveWindow(
            number=window.number,
            activity=rules.window_activity(
                session_open=window.pk in sessions,
                on_break=window.pk in on_break,
                has_ticket=window.pk in busy,
            ),
        )
        for window in Window.objects.filter(centre=centre).order_by("number")
    ]
    counts = {
        activity: sum(1 for w in listed if w.activity == activity)
        for activity in (rules.CLOSED, rules.PAUSED, rules.SERVING, rules.IDLE)
    }
    return (
        LiveWindows(
            total=len(listed),
            open=len(listed) - counts[rules.CLOSED],
            serving=counts[rules.SERVING],
            idle=counts[rules.IDLE],
            paused=counts[rules.PAUSED],
            closed=counts[rules.CLOSED],
        ),
        listed,
    )


def _today(centre: Centre, now: datetime) -> LiveToday:
    rows = list(
        Ticket.objects.filter(centre=centre, day=clock.local_date(now)).values_list(
            "status", "issued_at", "slot_at", "called_at", "started_at", "finished_at"
        )
    )
    waits = [
        (rules.wait_start(issued, slot), called)
        for _status, issued, slot, called, _started, _finished in rows
        if called is not None
    ]
    handling = [
        (started, finished)
        for status, _issued, _slot, _called, started, finished in rows
        if status == TicketStatus.DONE and started is not None and finished is not None
    ]
    return LiveToday(
        issued=len(rows),
        waiting=sum(1 for row in rows if row[0] == TicketStatus.WAITING),
        served=sum(1 for row in rows if row[0] == TicketStatus.DONE),
        no_shows=sum(1 for row in rows if row[0] == TicketStatus.NO_SHOW),
        average_wait_minutes=rules.average_minutes(waits),
        average_handling_minutes=rules.average_minutes(handling),
    )


def centre_live(centre: Centre, now: datetime | None = None) -> LiveView:
    """The centre's live figures at `now` (the clock's now by default)."""
    # The resume point is read first, as the board does: an event landing meanwhile is
    # replayed by the stream and only refreshes the view once more.
    last_event_id = latest_event_id(centre.code)
    now = now or clock.now()
    waiting = list(
        Ticket.objects.filter(centre=centre, status=TicketStatus.WAITING).select_related("service")
    )
    windows, window_list = _windows(centre)
    booked = Booking.objects.filter(
        centre=centre,
        status=BookingStatus.BOOKED,
        slot_at__gte=now,
        slot_at__lt=now + BOOKING_HORIZON,
    ).count()
    return LiveView(
        centre=centre.code,
        centre_names=_names(centre, "name"),
        generated_at=now,
        last_event_id=last_event_id,
        groups=_groups(centre, waiting, now),
        windows=windows,
        window_list=window_list,
        today=_today(centre, now),
        booked_next_hour=booked,
    )


def wellbeing(centre: Centre, now: datetime | None = None) -> list[OperatorLoad]:
    """Every operator who sat at one of the centre's windows today: continuous serving time,
    breaks, their share of today's served visitors, and whether they need a break."""
    now = now or clock.now()
    start = day_start(now)
    sessions = list(
        WindowSession.objects.filter(window__centre=centre)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .select_related("window", "operator")
        .order_by("opened_at")
    )
    pauses: dict[int, list[rules.Pause]] = defaultdict(list)
    for pause in Break.objects.filter(session__in=sessions).order_by("started_at"):
        pauses[pause.session_id].append(rules.Pause(pause.started_at, pause.ended_at))
    served: dict[int, int] = defaultdict(int)
    for operator_id in Ticket.objects.filter(
        centre=centre, day=clock.local_date(now), status=TicketStatus.DONE
    ).values_list("operator_id", flat=True):
        if operator_id is not None:
            served[operator_id] += 1
    total = sum(served.values())
    limit = max_continuous_minutes()
    by_operator: dict[int, list[WindowSession]] = defaultdict(list)
    operators: dict[int, User] = {}
    for session in sessions:
        by_operator[session.operator_id].append(session)
        operators[session.operator_id] = session.operator
    loads = []
    for operator_id, mine in by_operator.items():
        current = next((s for s in mine if s.closed_at is None), None)
        today_pauses = [p for s in mine for p in pauses[s.pk] if (p.ended_at or now) >= start]
        current_pauses = pauses[current.pk] if current else []
        continuous = rules.continuous_minutes(
            session_opened_at=current.opened_at if current else None,
            pauses=current_pauses,
            now=now,
        )
        operator = operators[operator_id]
        loads.append(
            OperatorLoad(
                username=operator.username,
                name=operator.get_full_name() or operator.username,
                window=current.window.number if current else None,
                on_break=any(p.ended_at is None for p in current_pauses),
                continuous_minutes=continuous,
                breaks=len(today_pauses),
                break_minutes=rules.break_minutes(
                    [rules.Pause(max(p.started_at, start), p.ended_at) for p in today_pauses],
                    now,
                ),
                served=served[operator_id],
                share_percent=rules.share_percent(served[operator_id], total),
                needs_break=rules.needs_break(continuous, limit),
            )
        )
    return sorted(loads, key=lambda load: (-load.continuous_minutes, load.name))
