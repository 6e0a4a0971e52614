"""Supervision orders (督办单): issued downwards, answered by the lower office, overdue when not."""

import datetime

import pytest
from django.utils import timezone

from tests.support.petitions import event_kinds
from xinfang.platform.errors import ServiceError
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.supervision import selectors, services
from xinfang.platform.supervision.models import OrderStatus, SupervisionOrder


def issue(act, staff, issuer, petition, days=7, reason="other", **kwargs):
    with act(issuer):
        return services.order_issue(
            petition_id=petition.pk, officer=staff(issuer), reason=reason,
            instructions="请于期限内办结并报告", due_date=timezone.localdate()
            + datetime.timedelta(days=days), **kwargs,
        )  # fmt: skip


def make_overdue(office, petition) -> None:
    """The petition's current deadline passed (in its office and in the registry row)."""
    from django_tenants.utils import tenant_context

    from xinfang.platform.cases.models import Petition

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with tenant_context(office):
        Petition.objects.filter(pk=petition.pk).update(next_due=yesterday)
    PetitionRecord.objects.filter(petition_id=petition.pk).update(next_due=yesterday)


def test_an_overdue_order_needs_an_overdue_petition(offices, staff, register, act):
    petition = register("xihu")
    with pytest.raises(ServiceError) as error:
        issue(act, staff, "hangzhou", petition, reason="overdue")
    assert (error.value.code, error.value.field) == ("NOT_OVERDUE", "reason")
    with pytest.raises(ServiceError) as error:
        issue(act, staff, "hangzhou", petition, reason="not_implemented")
    assert error.value.code == "NOT_REPLIED"
    make_overdue(offices["xihu"], petition)
    assert issue(act, staff, "hangzhou", petition, reason="overdue").reason == "overdue"


@pytest.mark.parametrize("days", [0, 31, 2_900_000])
def test_an_orders_due_date_lies_within_the_offices_bound(staff, register, act, days):
    with pytest.raises(ServiceError) as error:
        issue(act, staff, "hangzhou", register("xihu"), days=days)
    assert (error.value.code, error.value.field) == ("INVALID_DUE_DATE", "dueDate")
    assert not SupervisionOrder.objects.exists()


def test_a_key_reused_for_another_order_is_refused(staff, register, act):
    petition = register("xihu")
    issue(act, staff, "hangzhou", petition, idempotency_key="o-2")
    with pytest.raises(ServiceError) as error:
        issue(act, staff, "hangzhou", petition, days=9, idempotency_key="o-2")
    assert error.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert SupervisionOrder.objects.count() == 1


def test_a_higher_office_orders_a_lower_one_which_answers(offices, staff, register, act):
    petition = register("xihu")
    order = issue(act, staff, "hangzhou", petition)
    assert order.target_office.code == "330106"
    assert "330100" in PetitionRecord.objects.get(petition_id=petition.pk).viewer_codes
    assert "supervision_order_received" in event_kinds(offices["xihu"], petition.pk)
    with act("xihu"):
        answered = services.order_answer(order_id=order.pk, officer=staff("xihu"), answer="已办结")
    assert answered.status == OrderStatus.ANSWERED
    assert "supervision_order_answered" in event_kinds(offices["xihu"], petition.pk)


def test_the_province_may_order_a_county_two_levels_down(staff, register, act):
    order = issue(act, staff, "zhejiang", register("yinzhou"))
    assert order.issuer_office.code == "330000"


def test_an_order_outside_the_subtree_is_refused(staff, register, act):
    for issuer, target in (("hangzhou", "yinzhou"), ("xihu", "yuhang"), ("xihu", "hangzhou")):
        with pytest.raises(ServiceError) as error:
            issue(act, staff, issuer, register(target))
        assert error.value.code == "NOT_VISIBLE"
    assert not SupervisionOrder.objects.exists()


def test_only_the_target_office_answers(staff, register, act):
    order = issue(act, staff, "hangzhou", register("xihu"))
    for other in ("yuhang", "hangzhou"):
        with act(other), pytest.raises(ServiceError) as error:
            services.order_answer(order_id=order.pk, officer=staff(other), answer="x")
        assert error.value.code == "NOT_VISIBLE"


def test_a_retried_order_with_the_same_key_is_issued_once(staff, register, act):
    petition = register("xihu")
    first = issue(act, staff, "hangzhou", petition, idempotency_key="o-1")
    again = issue(act, staff, "hangzhou", petition, idempotency_key="o-1")
    assert again.pk == first.pk
    assert SupervisionOrder.objects.count() == 1


def test_an_unanswered_order_goes_overdue_and_shows_for_the_issuer(offices, staff, register, act):
    order = issue(act, staff, "hangzhou", register("xihu"))
    answered = issue(act, staff, "hangzhou", register("xihu"))
    with act("xihu"):
        services.order_answer(order_id=answered.pk, officer=staff("xihu"), answer="已办")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SupervisionOrder.objects.update(due_date=yesterday)
    assert services.orders_mark_overdue() == 1
    assert services.orders_mark_overdue() == 0  # once per order
    order.refresh_from_db()
    assert order.overdue_at is not None
    overview = selectors.overview(office=offices["hangzhou"])
    assert [o.pk for o in overview.overdue_orders] == [order.pk]
    assert overview.overdue_orders_count == 1
    assert selectors.overview(office=offices["ningbo"]).overdue_orders_count == 0


def test_the_admin_shows_an_office_only_the_orders_it_issued_or_received(
    offices, client_for, staff, register, act
):
    from django_tenants.utils import tenant_context

    from tests import factories

    to_xihu = issue(act, staff, "hangzhou", register("xihu"))
    to_yinzhou = issue(act, staff, "ningbo", register("yinzhou"))
    pages = {}
    for name in ("hangzhou", "xihu", "yuhang", "ningbo"):
        with tenant_context(offices[name]):
            admin = factories.officer(roles=("admin",))
            admin.is_staff = admin.is_superuser = True
            admin.save()
            client = client_for(name)
            client.force_login(admin)
        response = client.get("/admin/supervision/supervisionorder/")
        assert response.status_code == 200
        pages[name] = response.content.decode()
    for name, expected in (("hangzhou", to_xihu), ("xihu", to_xihu), ("ningbo", to_yinzhou)):
        other = to_yinzhou if expected is to_xihu else to_xihu
        assert expected.reference in pages[name] and other.reference not in pages[name], name
    assert to_xihu.reference not in pages["yuhang"] and to_yinzhou.reference not in pages["yuhang"]
