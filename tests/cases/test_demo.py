"""The demo data: officers with the documented password and petitions in every workflow stage."""

import pytest

from xinfang.platform.accounts.models import Officer
from xinfang.platform.cases.demo import DEMO_PASSWORD, seed_demo_petitions
from xinfang.platform.cases.models import Petition

pytestmark = pytest.mark.django_db


def test_demo_petitions_cover_the_workflow_and_are_seeded_once(in_office):
    with in_office("yinzhou"):
        before = Petition.objects.count()
        created = seed_demo_petitions(count=before + 8)
        again = seed_demo_petitions(count=before + 8)
        statuses = set(Petition.objects.values_list("status", flat=True))
        officer = Officer.objects.get(username="leader")  # logins need a request (django-axes)
        assert officer.check_password(DEMO_PASSWORD)
    assert (created, again) == (8, 0)
    assert {"registered", "declined", "routed", "in_handling", "replied", "evaluated"} <= statuses
    assert officer is not None and officer.roles == ["leader"] and officer.is_staff
