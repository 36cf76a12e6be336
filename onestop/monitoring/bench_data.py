"""Synthetic history for the dashboard benchmark (`manage.py bench_dashboard`): bench centres
across the country's regions and millions of finished tickets written straight into the
tickets table, with the aggregate rows that the fold would have made of them.

Tickets are generated in SQL, a range of days at a time, into a temporary table; the tickets
and the aggregates are both inserted from it, so they agree by construction (a test recounts
them; the per-centre CentreDay rows are then summed from those aggregate rows, as the
migration's backfill does). Day d holds the tickets numbered [N·d/D, N·(d+1)/D): a chunk
of whole days holds every ticket of its aggregate rows, so each row is inserted once, never
updated. CaseDay, RatingDay and ComplaintDay get synthetic counts derived from the same
tickets (some visits register an application, some rate, a few complain), without
application, rating or complaint rows behind them: the dashboard reads only the aggregates."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from onestop.catalog.models import Service
from onestop.centres.domain import CentreLevel
from onestop.centres.models import Centre, Region
from onestop.core import clock
from onestop.monitoring.aggregates import rollup_sql
from onestop.monitoring.models import CaseDay, CentreDay, ComplaintDay, QueueDay, RatingDay
from onestop.queue.models import Ticket

PREFIX = "BCH-"
CHUNK_TICKETS = 250_000
TEMP = "bench_dashboard_g"

# The country's regions (17 oblasts and the three cities of republican significance).
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("astana", "Астана", "Астана", "Astana"),
    ("almaty", "Алматы", "Алматы", "Almaty"),
    ("shymkent", "Шымкент", "Шымкент", "Shymkent"),
    ("abai", "Абай облысы", "Абайская область", "Abai Region"),
    ("akmola", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("aktobe", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("almaty-region", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("atyrau", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    (
        "east-kazakhstan",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
    ),
    ("zhambyl", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region"),
    ("zhetisu", "Жетісу облысы", "Область Жетысу", "Zhetisu Region"),
    (
        "west-kazakhstan",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
    ),
    ("karaganda", "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("kostanay", "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("kyzylorda", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("mangystau", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("pavlodar", "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    (
        "north-kazakhstan",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
    ),
    ("turkistan", "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("ulytau", "Ұлытау облысы", "Область Улытау", "Ulytau Region"),
)


@dataclass(frozen=True)
class Loaded:
    tickets: int
    queue_days: int
    case_days: int
    rating_days: int
    complaint_days: int
    centre_days: int
    centres: int
    first_day: date
    last_day: date
    seconds: float


def bench_centres() -> list[Centre]:
    return list(Centre.objects.filter(code__startswith=PREFIX).order_by("code"))


def ensure_centres(count: int) -> list[int]:
    """`count` active bench centres (BCH-001 …) spread over the regions; their ids in order."""
    regions = []
    for code, kk, ru, en in REGIONS:
        region, _created = Region.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
        )
        regions.append(region)
    existing = {c.code for c in bench_centres()}
    Centre.objects.bulk_create(
        [
            Centre(
                code=f"{PREFIX}{n:03d}",
                region=regions[(n - 1) % len(regions)],
                level=CentreLevel.choices[0][0],
                name_kk=f"Бенч ХҚКО {n}",
                name_ru=f"Бенч ЦОН {n}",
                name_en=f"Bench centre {n}",
                address_kk="—",
                address_ru="—",
                address_en="—",
            )
            for n in range(1, count + 1)
            if f"{PREFIX}{n:03d}" not in existing
        ]
    )
    return [c.pk for c in bench_centres()[:count]]


def clear() -> None:
    """Remove the bench centres with their tickets and aggregate rows (raw deletes: nothing
    else refers to them, and the ORM's cascade would load millions of rows)."""
    ids = [c.pk for c in bench_centres()]
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (Ticket, QueueDay, CaseDay, RatingDay, ComplaintDay, CentreDay):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE centre_id IN ({marks})", ids)
        Centre.objects.filter(pk__in=ids).delete()


def _fill_refs(cursor: CursorWrapper, centres: list[int], services: list[Service]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_c")
    cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_s")
    cursor.execute(f"CREATE TEMPORARY TABLE {TEMP}_c (idx integer PRIMARY KEY, ref integer)")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TEMP}_s (idx integer PRIMARY KEY, ref integer, "
        "department integer, target integer)"
    )
    cursor.executemany(f"INSERT INTO {TEMP}_c VALUES (%s, %s)", list(enumerate(centres)))
    cursor.executemany(
        f"INSERT INTO {TEMP}_s VALUES (%s, %s, %s, %s)",
        [(n, s.pk, s.department_id, s.target_wait_minutes) for n, s in enumerate(services)],
    )


# The generator: ticket i of N over D days ending on `end`. Its day is d = D-1 - ⌊i·D/N⌋
# days before the end; its centre i mod C; its service turns with the centre and the day's
# rounds; status, wait and handling time from multiplicative hashes of i. Columns computed
# per dialect (dates, times, ids), everything after that is shared SQL.
_PG_GEN = f"""
CREATE TEMPORARY TABLE {TEMP} AS
SELECT g.i, gen_random_uuid() AS id, 'Z' || to_hex(g.i) AS number, c.ref AS centre_id,
       s.ref AS service_id, s.department AS department_id, g.day, g.h,
       CASE WHEN g.h < 84 THEN 'done' WHEN g.h < 92 THEN 'no_show'
            WHEN g.h < 96 THEN 'cancelled' ELSE 'closed' END AS status,
       g.issued AS issued_at,
       CASE WHEN g.h < 92 THEN g.issued + g.w * interval '1 second' END AS called_at,
       CASE WHEN g.h < 84 THEN g.issued + (g.w + 30) * interval '1 second' END AS started_at,
       CASE WHEN g.h < 84 THEN g.issued + (g.w + 30 + g.hd) * interval '1 second'
            END AS finished_at,
       CASE WHEN g.h < 84 THEN g.w END AS wait_s,
       CASE WHEN g.h < 84 THEN g.hd END AS handle_s,
       CASE WHEN g.h < 84 AND g.w > s.target * 60 THEN 1 ELSE 0 END AS over_target
FROM (
  SELECT i, day, h, w, hd,
         ((day + interval '9 hours' + t * interval '1 second') AT TIME ZONE %s) AS issued
  FROM (
    SELECT i, (%s::date - (%s - 1 - (i * %s) / %s)::int) AS day,
           ((i * 2654435761) %% 4294967296) %% 100 AS h,
           ((i * 40503) %% 65537) %% 1500 AS w,
           120 + ((i * 69069) %% 65521) %% 900 AS hd,
           ((i * 7919) %% 65519) %% 36000 AS t
    FROM generate_series(%s::bigint, %s::bigint) AS i
  ) raw
) g
JOIN {TEMP}_c c ON c.idx = g.i %% %s
JOIN {TEMP}_s s ON s.idx = (g.i / %s + g.i %% %s) %% %s
"""

_SQLITE_GEN = f"""
CREATE TEMPORARY TABLE {TEMP} AS
WITH RECURSIVE n(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM n WHERE i < %s),
raw AS (
  SELECT i, date(%s, '-' || (%s - 1 - (i * %s) / %s) || ' days') AS day,
         ((i * 2654435761) %% 4294967296) %% 100 AS h,
         ((i * 40503) %% 65537) %% 1500 AS w,
         120 + ((i * 69069) %% 65521) %% 900 AS hd,
         ((i * 7919) %% 65519) %% 36000 AS t
  FROM n
)
SELECT g.i, lower(hex(randomblob(16))) AS id, printf('Z%%x', g.i) AS number,
       c.ref AS centre_id, s.ref AS service_id, s.department AS department_id, g.day, g.h,
       CASE WHEN g.h < 84 THEN 'done' WHEN g.h < 92 THEN 'no_show'
            WHEN g.h < 96 THEN 'cancelled' ELSE 'closed' END AS status,
       datetime(g.day, (9 * 3600 + g.t - %s) || ' seconds') AS issued_at,
       CASE WHEN g.h < 92 THEN datetime(g.day, (9 * 3600 + g.t - %s + g.w) || ' seconds')
            END AS called_at,
       CASE WHEN g.h < 84 THEN datetime(g.day, (9 * 3600 + g.t - %s + g.w + 30) || ' seconds')
            END AS started_at,
       CASE WHEN g.h < 84
            THEN datetime(g.day, (9 * 3600 + g.t - %s + g.w + 30 + g.hd) || ' seconds')
            END AS finished_at,
       CASE WHEN g.h < 84 THEN g.w END AS wait_s,
       CASE WHEN g.h < 84 THEN g.hd END AS handle_s,
       CASE WHEN g.h < 84 AND g.w > s.target * 60 THEN 1 ELSE 0 END AS over_target
FROM raw g
JOIN {TEMP}_c c ON c.idx = g.i %% %s
JOIN {TEMP}_s s ON s.idx = (g.i / %s + g.i %% %s) %% %s
"""


def _count(flag: str) -> str:
    return f"SUM(CASE WHEN {flag} THEN 1 ELSE 0 END)"


DONE = "status = 'done'"


def _derived_inserts() -> list[str]:
    """Tickets and the four aggregate tables, all from the chunk's temporary table."""
    return [
        f"""INSERT INTO {Ticket._meta.db_table} (id, centre_id, service_id, day, number,
              sequence, status, priority, priority_from_iin, iin, phone, language, issued_at,
              called_at, started_at, finished_at, recalls, transfers, outcome, note, purpose,
              reference)
            SELECT id, centre_id, service_id, day, number, i, status, 'none', %s, '',
              '', 'kk', issued_at, called_at, started_at, finished_at, 0, 0, '', '', 'visit', ''
            FROM {TEMP}""",
        f"""INSERT INTO {QueueDay._meta.db_table} (day, centre_id, service_id, issued,
              transferred, served, no_shows, cancelled, closed, waits, wait_seconds,
              waits_over_target, handled, handle_seconds)
            SELECT day, centre_id, service_id, COUNT(*), 0, {_count(DONE)},
              {_count("status = 'no_show'")}, {_count("status = 'cancelled'")},
              {_count("status = 'closed'")}, {_count(DONE)}, COALESCE(SUM(wait_s), 0),
              SUM(over_target), {_count(DONE)}, COALESCE(SUM(handle_s), 0)
            FROM {TEMP} GROUP BY day, centre_id, service_id""",
        # A third of the served visits register an application, half of those are decided
        # the same day, four in five of them on time.
        f"""INSERT INTO {CaseDay._meta.db_table} (day, centre_id, service_id, department_id,
              registered, decided, decided_on_time, decide_days)
            SELECT day, centre_id, service_id, department_id, COUNT(*),
              {_count("i %% 2 = 0")}, {_count("i %% 2 = 0 AND i %% 5 <> 0")}, 0
            FROM {TEMP} WHERE {DONE} AND i %% 3 = 0
            GROUP BY day, centre_id, service_id, department_id""",
        # One served visit in four is rated, scores 3 to 5.
        f"""INSERT INTO {RatingDay._meta.db_table} (day, centre_id, service_id, ratings,
              waiting, speed, politeness, comfort, information, low)
            SELECT day, centre_id, service_id, COUNT(*), SUM(3 + i %% 3), SUM(3 + i %% 3),
              SUM(5 - i %% 3), SUM(4), SUM(3 + (i / 7) %% 3), 0
            FROM {TEMP} WHERE {DONE} AND i %% 4 = 0 GROUP BY day, centre_id, service_id""",
        # One visit in 200 ends in a complaint, answered the same day, mostly on time.
        f"""INSERT INTO {ComplaintDay._meta.db_table} (day, centre_id, department_id,
              registered, answered, answered_on_time)
            SELECT day, centre_id, department_id, COUNT(*), COUNT(*), {_count("i %% 400 <> 0")}
            FROM {TEMP} WHERE i %% 200 = 0 GROUP BY day, centre_id, department_id""",
    ]


def load(
    *,
    tickets: int,
    centres: int,
    days: int,
    end: date | None = None,
    progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK_TICKETS,
) -> Loaded:
    """Replace the bench history with `tickets` tickets at `centres` centres over the `days`
    days ending on `end` (today), and their aggregate rows. One transaction per chunk."""
    started = time.perf_counter()
    last = end or clock.today()
    clear()
    centre_ids = ensure_centres(centres)
    services = list(Service.objects.order_by("code"))
    if not services:
        raise ValueError("The catalogue is empty: run `manage.py load_catalogue` first.")
    postgres = connection.vendor == "postgresql"
    zone = timezone.get_default_timezone()
    offset = datetime.combine(last, datetime.min.time(), zone).utcoffset() or timedelta()
    c, s = len(centre_ids), len(services)
    with connection.cursor() as cursor:
        _fill_refs(cursor, centre_ids, services)
    per_chunk_days = max(1, chunk * days // max(tickets, 1))
    for first_day in range(0, days, per_chunk_days):
        stop_day = min(days, first_day + per_chunk_days)
        lo = -(-tickets * first_day // days)  # the first ticket of day `first_day`: ⌈N·d/D⌉
        hi = -(-tickets * stop_day // days) - 1
        if hi < lo:
            continue
        shape = (c, c, c, s)
        if postgres:
            params: tuple[Any, ...] = (
                str(zone),
                last,
                days,
                days,
                tickets,
                lo,
                hi,
                *shape,
            )
            generate = _PG_GEN
        else:
            params = (
                lo,
                hi,
                last.isoformat(),
                days,
                days,
                tickets,
                *[int(offset.total_seconds())] * 4,
                *shape,
            )
            generate = _SQLITE_GEN
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
            cursor.execute(generate, params)
            for n, statement in enumerate(_derived_inserts()):
                cursor.execute(statement, [False] if n == 0 else [])
            cursor.execute(f"DROP TABLE {TEMP}")
        if progress is not None:
            progress(hi - lo + 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(rollup_sql(f"centre_id IN (SELECT ref FROM {TEMP}_c)"))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_c")
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}_s")
        if postgres:
            for model in (Ticket, QueueDay, CaseDay, RatingDay, ComplaintDay, CentreDay):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    scope = {"centre_id__in": centre_ids}
    return Loaded(
        tickets=Ticket.objects.filter(**scope).count(),
        queue_days=QueueDay.objects.filter(**scope).count(),
        case_days=CaseDay.objects.filter(**scope).count(),
        rating_days=RatingDay.objects.filter(**scope).count(),
        complaint_days=ComplaintDay.objects.filter(**scope).count(),
        centre_days=CentreDay.objects.filter(**scope).count(),
        centres=c,
        first_day=last - timedelta(days=days - 1),
        last_day=last,
        seconds=time.perf_counter() - started,
    )
