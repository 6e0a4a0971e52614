"""Skip-level petitions (越级访): flagged on registration above the competent office, sent down in
one action, counted in both offices' metrics."""

import pytest
from django.utils import timezone

from tests.support.petitions import petition_in
from xinfang.platform.cases.models import Status
from xinfang.platform.errors import ServiceError
from xinfang.platform.exchange import services
from xinfang.platform.registry.models import PetitionRecord
from xinfang.platform.supervision.services import metrics_compute


def test_a_petition_at_the_city_about_a_county_matter_is_flagged_skip_level(offices, register):
    petition = register("hangzhou", place_code="330106")
    record = PetitionRecord.objects.get(petition_id=petition.pk)
    assert petition_in(offices["hangzhou"], petition.pk).is_skip_level
    assert record.is_skip_level and record.is_cross_level
    assert record.about_office_code == "330106"
    # Flagged cross-level: the office above the city sees it too.
    assert "330000" in record.viewer_codes


def test_a_petition_at_the_competent_office_is_not_skip_level(register):
    petition = register("xihu", place_code="330106")
    assert not PetitionRecord.objects.get(petition_id=petition.pk).is_skip_level


def test_the_province_sees_a_city_level_matter_as_skip_level(register):
    petition = register("zhejiang", place_code="330102")  # a Hangzhou district without an office
    assert PetitionRecord.objects.get(petition_id=petition.pk).about_office_code == "330100"


def test_a_skip_level_petition_goes_down_in_one_action(offices, staff, register, act):
    petition = register("hangzhou", place_code="330106")
    with act("hangzhou"):
        handoff = services.skip_level_transfer_down(
            petition_id=petition.pk, officer=staff("hangzhou")
        )
    assert handoff.receiver_office.code == "330106"
    copy = petition_in(offices["xihu"], handoff.receiver_petition_id)
    assert copy.status == Status.ROUTED and not copy.is_skip_level
    with act("hangzhou"), pytest.raises(ServiceError) as error:
        services.skip_level_transfer_down(
            petition_id=register("hangzhou").pk, officer=staff("hangzhou")
        )
    assert error.value.code == "NOT_SKIP_LEVEL"


def test_skip_level_counts_appear_in_the_metrics_of_both_offices(offices, register):
    register("hangzhou", place_code="330106")
    register("hangzhou", place_code="330106")
    register("hangzhou")
    month = timezone.localdate()
    higher = metrics_compute(office=offices["hangzhou"], month=month)
    lower = metrics_compute(office=offices["xihu"], month=month)
    assert (higher.registered, higher.skip_level_registered) == (3, 2)
    assert lower.skip_level_about == 2
    assert metrics_compute(office=offices["yuhang"], month=month).skip_level_about == 0
