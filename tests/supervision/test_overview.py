"""The supervision overview and subtree metrics: a subtree's registry rows, never more."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.support.queries import assert_queries
from xinfang.platform.cases.models import Petition
from xinfang.platform.exchange import services as exchange
from xinfang.platform.registry import services as registry
from xinfang.platform.supervision import selectors, services


def overdue(offices, name, petition, days=3):
    with tenant_context(offices[name]):
        Petition.objects.filter(pk=petition.pk).update(
            next_due=timezone.localdate() - datetime.timedelta(days=days)
        )
        registry.sync(Petition.objects.get(pk=petition.pk))


def first_pages(view, size: int = 20) -> None:
    """Read the first page of each of the overview's lists (one query each), as GraphQL does."""
    for rows in (
        view.overdue, view.cross_level, view.escalated_to_office, view.handed_off_by_office,
        view.overdue_orders,
    ):  # fmt: skip
        list(rows[:size])


def test_the_overview_shows_the_subtree_escalated_handed_off_cross_level_and_overdue(
    offices, staff, register, act
):
    late_xihu, late_yinzhou = register("xihu"), register("yinzhou")
    overdue(offices, "xihu", late_xihu)
    overdue(offices, "yinzhou", late_yinzhou)
    skip = register("hangzhou", place_code="330110")
    with act("xihu"):
        up = exchange.petition_escalate(
            petition_id=register("xihu").pk, officer=staff("xihu"), reason="重大"
        )
    with act("hangzhou"):
        down = exchange.petition_transfer(
            petition_id=register("hangzhou").pk, officer=staff("hangzhou"), receiver_code="330110"
        )

    with assert_queries(10):
        view = selectors.overview(office=offices["hangzhou"])
        first_pages(view)

    assert [r.petition_id for r in view.overdue] == [late_xihu.pk]
    assert view.overdue_count == 1
    assert [r.petition_id for r in view.cross_level] == [skip.pk]
    assert [h.pk for h in view.escalated_to_office] == [up.pk]
    assert [h.pk for h in view.handed_off_by_office] == [down.pk]
    assert {c.office.code: c.overdue for c in view.by_office}["330106"] == 1
    # The province sees both cities' subtrees; Ningbo sees only its own.
    province = selectors.overview(office=offices["zhejiang"])
    assert {r.petition_id for r in province.overdue} == {late_xihu.pk, late_yinzhou.pk}
    ningbo = selectors.overview(office=offices["ningbo"])
    assert [r.petition_id for r in ningbo.overdue] == [late_yinzhou.pk]
    assert ningbo.cross_level_count == 0 and ningbo.escalated_to_office_count == 0


def test_the_overview_costs_the_same_queries_for_a_bigger_subtree(offices, register):
    for name in ("xihu", "yuhang", "yinzhou", "hangzhou", "ningbo"):
        overdue(offices, name, register(name))
    with assert_queries(10):
        view = selectors.overview(office=offices["zhejiang"])
        first_pages(view)
    assert view.overdue_count == 5


def test_subtree_metrics_roll_up_the_offices_of_the_subtree(offices, register):
    month = timezone.localdate().replace(day=1)
    for name, count in (("xihu", 2), ("yuhang", 1), ("yinzhou", 4)):
        for _ in range(count):
            register(name)
    register("hangzhou", place_code="330106")
    for office in offices.values():
        services.metrics_compute(office=office, month=month)

    with assert_queries(2):
        metrics = selectors.subtree_metrics(
            office=offices["hangzhou"], from_month=month, to_month=month
        )
    per_office = {m.office.code: m for m in metrics.offices}
    assert set(per_office) == {"330100", "330106", "330110"}
    assert metrics.total.registered == 4
    assert metrics.total.skip_level_registered == 1
    assert metrics.total.skip_level_rate == 0.25
    assert per_office["330106"].skip_level_about == 1
    assert per_office["330106"].repeat_rate is not None
    province = selectors.subtree_metrics(office=offices["zhejiang"], from_month=month,
                                         to_month=month)  # fmt: skip
    assert province.total.registered == 8


def test_the_rollup_is_idempotent_per_office_and_month(offices, register):
    register("xihu")
    month = timezone.localdate()
    first = services.metrics_compute(office=offices["xihu"], month=month)
    again = services.metrics_compute(office=offices["xihu"], month=month)
    assert first.pk == again.pk and again.registered == 1
