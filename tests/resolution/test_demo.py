"""The demo data carries resolution work, and its metrics are the ones the README reports."""

import pytest
from django.utils import timezone

from xinfang.platform.cases.demo import seed_demo_petitions
from xinfang.platform.resolution import metrics
from xinfang.platform.resolution.demo import seed_demo_resolution
from xinfang.platform.resolution.models import CarePlan, HardCase, Reopening, Visit

pytestmark = pytest.mark.django_db


def test_demo_resolution_work_and_its_metrics(in_office, capsys):
    with in_office("yuhang"):
        seed_demo_petitions(count=30)
        visits = seed_demo_resolution()
        assert seed_demo_resolution() == 0
        kinds = set(Visit.objects.values_list("kind", flat=True))
        causes = sorted(Reopening.objects.values_list("cause", flat=True))
        figures = metrics.office_figures(month=timezone.localdate())
        assert HardCase.objects.count() == 1 and CarePlan.objects.count() == 1
    assert visits >= 8
    assert kinds == {"appointment", "return", "field", "joint"}
    assert causes == ["dissatisfied", "return_visit"]
    assert (figures.closed, figures.resolved) == (6, 3)  # 2 solved + 1 mediated of 6 closures
    assert figures.reopened == 2 and figures.appointment_visits == 1
    with capsys.disabled():
        print(
            "\ndemo office metrics (this month):",
            {name: getattr(figures, name) for name in metrics.COUNTS},
            {
                "return_visit_coverage": figures.return_visit_coverage,
                "return_visit_timeliness": figures.return_visit_timeliness,
                "implementation_rate": figures.implementation_rate,
                "resolution_rate": figures.resolution_rate,
                "reopen_rate": figures.reopen_rate,
            },
        )
