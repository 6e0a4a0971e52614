"""The daily scan: overdue return visits and items get one event each, once per office and day,
through the dispatcher and a real worker; the subtree metrics sum the offices' rows."""

import datetime
import time

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.resolution.support import replied
from xinfang.platform.cases.models import Petition, PetitionEvent
from xinfang.platform.resolution import metrics, services
from xinfang.platform.resolution.ledger.models import ResolutionMetrics, ResolutionScan
from xinfang.platform.resolution.services import ItemInput
from xinfang.platform.resolution.tasks import dispatch_daily_scan

pytestmark = pytest.mark.django_db


def test_overdue_return_visits_and_items_are_recorded_once(staff, in_office):
    today = timezone.localdate()
    with in_office("xihu"):
        petition = replied(staff)
        item = services.item_add(
            officer=staff["leader"],
            petition=petition,
            item=ItemInput("发放补偿款", staff["handler"], today),
        )
        later = today + datetime.timedelta(days=45)  # past the 30-day return visit and the item
        Petition.objects.filter(pk=petition.pk).update(replied_at=timezone.now())
        first = services.scan_office(today=later)
        assert (first.visits_overdue, first.items_overdue) == (1, 1)
        services.scan_office(today=later)
        ResolutionScan.objects.all().delete()  # even a second run of the day records nothing new
        services.scan_office(today=later)
        events = PetitionEvent.objects.filter(petition=petition)
        assert events.filter(kind="return_visit_overdue").count() == 1
        assert events.filter(kind="action_item_overdue").count() == 1
        item.refresh_from_db()
        assert item.overdue_recorded_for == today


def test_subtree_metrics_sum_the_offices_rows(offices, staff, in_office):
    today = timezone.localdate()
    with in_office("xihu"):
        replied(staff)
        metrics.metrics_compute(month=today)
    with tenant_context(offices["yuhang"]):
        metrics.metrics_compute(month=today)
    figures = metrics.subtree_figures(office=offices["hangzhou"], from_month=today, to_month=today)
    assert figures.total.opinions == 1
    assert [f.office.code for f in figures.offices] == ["330106", "330110"]
    assert (
        metrics.subtree_figures(
            office=offices["ningbo"], from_month=today, to_month=today
        ).total.opinions
        == 0
    )


@pytest.mark.worker
def test_the_dispatcher_scans_every_office_once_with_a_real_worker(
    committed, offices, celery_worker_process
):
    day = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    try:
        dispatch_daily_scan.delay(day)
        deadline = timezone.now() + datetime.timedelta(seconds=30)
        while ResolutionScan.objects.filter(day=day).count() < 6:
            assert timezone.now() < deadline, "the scan chunk did not run"
            time.sleep(0.2)
        dispatch_daily_scan.delay(day)  # again: every office was scanned for the day already
        time.sleep(2)
        codes = sorted(
            ResolutionScan.objects.filter(day=day).values_list("office__code", flat=True)
        )
        assert codes == sorted(o.code for o in offices.values())
    finally:
        ResolutionScan.objects.filter(day=day).delete()
        far = datetime.date.fromisoformat(day).replace(day=1) - datetime.timedelta(days=1)
        ResolutionMetrics.objects.filter(month__gte=far.replace(day=1)).delete()
