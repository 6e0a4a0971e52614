"""Handoffs per second between two offices, and the supervision overview of a large province.

Run with `make perf` (or `.venv/bin/pytest tests/perf/test_exchange_perf.py -s`). Everything is
committed (as in production) and removed again at the end.

- Handoffs: N petitions registered in Xihu, then N transfers to Yuhang one after another, each its
  own transaction across both schemas and the public ledger (the after-commit delivery is queued).
- Overview: a synthetic province (100 offices: the province, 9 cities, 90 counties) whose registry
  holds 1,000,000 petition copies, plus 20,000 handoffs and 5,000 supervision orders, written with
  INSERT … SELECT generate_series (registry rows need no office schema). Goal: p95 < 200 ms.
"""

import statistics
import time

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from tests import factories
from tests.support import servers
from xinfang.platform.cases.models import Petition
from xinfang.platform.exchange import services
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.supervision import selectors
from xinfang.platform.supervision.models import OfficeMetrics, SupervisionOrder
from xinfang.platform.supervision.services import metrics_compute
from xinfang.tenants.models import Office

HANDOFFS = 300
RECORDS = 1_000_000
RUNS = 40


def test_handoffs_per_second_between_two_offices(offices, committed):
    with tenant_context(offices["xihu"]):
        officer = factories.officer(roles=("registrar", "leader"))
        petitions = [factories.petition(officer=officer).petition for _ in range(HANDOFFS)]
    matters = [p.matter_id for p in petitions]
    try:
        with tenant_context(offices["xihu"]):
            started = time.perf_counter()
            for petition in petitions:
                services.petition_transfer(
                    petition_id=petition.pk, officer=officer, receiver_code="330110"
                )
            elapsed = time.perf_counter() - started
        connection.set_schema_to_public()
        assert Handoff.objects.filter(matter_id__in=matters).count() == HANDOFFS
        print(
            f"\n[exchange] {HANDOFFS} transfers Xihu → Yuhang: {HANDOFFS / elapsed:.0f} handoffs/s "
            f"({elapsed / HANDOFFS * 1000:.1f} ms each, one transaction over two schemas + ledger)"
        )
    finally:
        Handoff.objects.filter(matter_id__in=matters).delete()
        PetitionRecord.objects.filter(matter_id__in=matters).delete()
        for name in ("xihu", "yuhang"):
            with tenant_context(offices[name]):
                Petition.objects.filter(matter_id__in=matters).delete()
        with tenant_context(offices["xihu"]):
            officer.delete()
        connection.set_schema_to_public()
        if settings.INSTANCE:  # this run's own queue: drop the queued deliveries
            servers.purge_queues()


# --- the province overview ------------------------------------------------------------------------

PROVINCE = "340000"


def synthetic_province() -> list[Office]:
    """100 office rows (no schemas): 340000, cities 3401..3409 00, ten counties under each."""
    province = Office.objects.create(
        schema_name="perf_340000", code=PROVINCE, name="基准省信访局", level="province"
    )
    made = [province]
    for c in range(1, 10):
        city = Office.objects.create(
            schema_name=f"perf_34{c:02d}00", code=f"34{c:02d}00", name=f"基准市{c}",
            level="city", parent=province, ancestor_codes=[PROVINCE],
        )  # fmt: skip
        made.append(city)
        counties = [
            Office(
                schema_name=f"perf_34{c:02d}{k:02d}",
                code=f"34{c:02d}{k:02d}",
                name=f"基准县{c}-{k}",
                level="county",
                parent=city,
                ancestor_codes=[PROVINCE, city.code],
            )
            for k in range(1, 11)
        ]
        made.extend(Office.objects.bulk_create(counties))
    return made


FILL_REGISTRY = """
WITH o AS (
    SELECT id, code, level, ancestor_codes || code AS lineage,
           (row_number() OVER (ORDER BY id)) - 1 AS n
    FROM tenants_office WHERE code LIKE '34%%'
), r AS (
    SELECT g, random() AS s, random() AS f, (random() * 365)::int AS age,
           (random() * 75)::int - 5 AS due
    FROM generate_series(1, %(rows)s) AS g
)
INSERT INTO exchange_petitionrecord (
    petition_id, matter_id, office_id, office_level, lineage_codes, reference, channel, category,
    status, registered_at, next_due, accept_due, handling_due, accepted_at, replied_at, closed_at,
    satisfaction, extended, is_repeat, is_skip_level, is_collective, is_cross_level,
    source_office_code, about_office_code, viewer_codes, updated_at)
SELECT gen_random_uuid(), gen_random_uuid(), o.id, o.level, o.lineage,
       o.code || '-2026-' || lpad(r.g::text, 7, '0'), 'visit', '01.01',
       CASE WHEN r.s < 0.70 THEN 'closed' WHEN r.s < 0.76 THEN 'registered'
            WHEN r.s < 0.80 THEN 'routed' WHEN r.s < 0.86 THEN 'accepted'
            WHEN r.s < 0.92 THEN 'in_handling' ELSE 'replied' END,
       now() - make_interval(days => r.age),
       CASE WHEN r.s >= 0.70 AND r.s < 0.92 THEN current_date + r.due END,
       (now() - make_interval(days => r.age))::date + 15,
       (now() - make_interval(days => r.age))::date + 75,
       CASE WHEN r.s < 0.70 OR r.s >= 0.80 THEN now() - make_interval(days => r.age - 10) END,
       CASE WHEN r.s < 0.70 OR r.s >= 0.92 THEN now() - make_interval(days => r.age - 50) END,
       CASE WHEN r.s < 0.70 THEN now() - make_interval(days => r.age - 60) END,
       CASE WHEN r.s < 0.50 THEN 'satisfied' WHEN r.s < 0.65 THEN 'basically_satisfied'
            WHEN r.s < 0.70 THEN 'dissatisfied' ELSE '' END,
       false, r.f >= 0.03 AND r.f < 0.06, r.f < 0.03, false, r.f < 0.06,
       '', CASE WHEN r.f < 0.03 AND o.level <> 'county' THEN o.code ELSE '' END,
       ARRAY[o.code]::varchar[], now()
FROM r JOIN o ON o.n = r.g %% 100
"""

FILL_LEDGER = """
WITH o AS (
    SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS n
    FROM tenants_office WHERE code LIKE '34%%'
)
INSERT INTO exchange_handoff (
    id, kind, status, matter_id, initiator_office_id, sender_office_id, receiver_office_id,
    sender_petition_id, sender_reference, sender_prior_status, receiver_petition_id,
    receiver_reference, idempotency_key, reason, urgency, identity_withheld, created_by,
    created_at, objection_reason, decision, decision_note, result)
SELECT gen_random_uuid(),
       (ARRAY['transfer', 'assign', 'escalate', 'review', 'recheck'])[1 + g %% 5],
       (ARRAY['pending', 'accepted', 'returned', 'reported', 'answered'])[1 + (g / 5) %% 5],
       gen_random_uuid(), s.id, s.id, t.id, gen_random_uuid(), 'x', 'registered',
       gen_random_uuid(), 'y', '', '', '', false, 'perf',
       now() - make_interval(days => g %% 300), '', '', '', ''
FROM generate_series(1, 20000) AS g
JOIN o AS s ON s.n = g %% 100
JOIN o AS t ON t.n = (g * 7 + 1) %% 100
"""

FILL_ORDERS = """
WITH o AS (
    SELECT id, level, (row_number() OVER (ORDER BY id)) - 1 AS n
    FROM tenants_office WHERE code LIKE '34%%'
)
INSERT INTO supervision_supervisionorder (
    id, issuer_office_id, target_office_id, petition_id, matter_id, reference, reason,
    instructions, due_date, status, answer, answered_by, idempotency_key, created_by, created_at)
SELECT gen_random_uuid(), (SELECT id FROM tenants_office WHERE code = '340000'), t.id,
       gen_random_uuid(), gen_random_uuid(), 'ref', 'overdue', '限期办结',
       current_date + (g %% 60) - 30, CASE WHEN g %% 3 = 0 THEN 'answered' ELSE 'open' END,
       '', '', '', 'perf', now()
FROM generate_series(1, 5000) AS g
JOIN o AS t ON t.n = g %% 100 AND t.level = 'county'
"""


def _timed(fn, runs: int) -> tuple[float, float]:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


@pytest.fixture
def big_province(committed):
    offices = synthetic_province()
    ids = [o.pk for o in offices]
    try:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FILL_REGISTRY, {"rows": RECORDS})
            cursor.execute(FILL_LEDGER, {})
            cursor.execute(FILL_ORDERS, {})
            # What autovacuum does after a bulk load: statistics and the visibility map (so the
            # overview's per-office counts are index-only scans).
            for table in (
                "exchange_petitionrecord",
                "exchange_handoff",
                "supervision_supervisionorder",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
        filled = time.perf_counter() - started
        print(f"\n[exchange] filled {RECORDS:,} registry rows in {filled:.0f} s")
        yield offices
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM exchange_petitionrecord WHERE office_id = ANY(%s)", [ids])
            cursor.execute("DELETE FROM exchange_handoff WHERE sender_office_id = ANY(%s)", [ids])
        SupervisionOrder.objects.filter(target_office_id__in=ids).delete()
        OfficeMetrics.objects.filter(office_id__in=ids).delete()
        Office.objects.filter(pk__in=ids, level="county").delete()
        Office.objects.filter(pk__in=ids, level="city").delete()
        Office.objects.filter(pk__in=ids).delete()


def test_province_overview_with_100_offices_and_a_million_petitions(big_province):
    province = big_province[0]
    city = big_province[1]
    assert PetitionRecord.objects.filter(office_id=province.pk).exists()

    started = time.perf_counter()
    for office in big_province:
        metrics_compute(office=office, month=_today_month())
    rollup = time.perf_counter() - started

    def overview_with_first_pages(office):
        """The overview with the first 20 rows of each list, as the GraphQL screen reads it."""
        view = selectors.overview(office=office)
        for rows in (
            view.overdue, view.cross_level, view.escalated_to_office, view.handed_off_by_office,
            view.overdue_orders,
        ):  # fmt: skip
            list(rows[:20])
        return view

    view = overview_with_first_pages(province)
    assert view.overdue_count > 0 and view.cross_level_count > 0
    assert len(view.overdue[:20]) == 20 and view.overdue_orders_count > 0

    p50, p95 = _timed(lambda: overview_with_first_pages(province), RUNS)
    c50, c95 = _timed(lambda: overview_with_first_pages(city), RUNS)
    month = _today_month()
    m50, m95 = _timed(
        lambda: selectors.subtree_metrics(office=province, from_month=month, to_month=month),
        RUNS,
    )
    print(
        f"\n[exchange] province overview, 100 offices / {RECORDS:,} registry rows "
        f"({view.overdue_count:,} overdue, {view.cross_level_count:,} cross-level): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        f"\n[exchange] city overview (11 offices): p50 {c50:.0f} ms, p95 {c95:.0f} ms"
        f"\n[exchange] province subtree metrics (rollups): p50 {m50:.1f} ms, p95 {m95:.1f} ms; "
        f"monthly rollup of 100 offices: {rollup:.1f} s"
    )
    assert p95 < 200


def _today_month():
    from django.utils import timezone

    return timezone.localdate().replace(day=1)
