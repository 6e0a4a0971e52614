"""The repeat check of a draft (登记 shows it before saving): the same rules and visibility as the
check of a registered petition, a terminated-matter warning, and nothing stored."""

import pytest

from tests.search.builders import person, register_by
from tests.search.test_repeats import ORIGINAL, OTHER_VILLAGE, PLACE, REWORDED
from xinfang.platform.registry import services as registry
from xinfang.search.models import RepeatCandidate, RepeatCheck
from xinfang.search.repeats import Draft, preview_repeats

pytestmark = pytest.mark.django_db


def test_the_same_person_typed_again_is_a_candidate_before_saving(in_office, earlier):
    first, chen = earlier
    draft = Draft(
        content=REWORDED,
        place=PLACE,
        place_code="330106",
        category="01.01",
        id_numbers=(chen.id_number,),
    )
    with in_office("hangzhou"):
        result = preview_repeats(draft)
        assert not RepeatCheck.objects.exists() and not RepeatCandidate.objects.exists()
    assert result.available
    [candidate] = result.candidates
    assert candidate.reference == first.reference
    assert candidate.reasons == ["same_person", "similar_content"]
    assert not result.on_terminated_matter


def test_a_stranger_on_another_matter_has_no_candidates(in_office, earlier):
    with in_office("xihu"):
        result = preview_repeats(Draft(content=OTHER_VILLAGE, place="大诸桥村"))
    assert result.available and result.candidates == []


def test_a_terminated_matter_is_warned_of_before_saving(in_office, earlier):
    first, chen = earlier
    with in_office("xihu"):
        first.status = "terminated"
        first.save(update_fields=["status", "updated_at"])
        registry.sync(first)
    draft = Draft(content=ORIGINAL, place=PLACE, category="01.01", id_numbers=(chen.id_number,))
    with in_office("yinzhou"):
        result = preview_repeats(draft)
    assert result.on_terminated_matter
    assert result.candidates[0].on_terminated_matter
    assert not result.candidates[0].visible  # another city's county: office and status only


@pytest.fixture
def earlier(offices, in_office, index_now):
    """Chen's county petition about land compensation in Longwu village, indexed."""
    chen = person("陈某")
    with in_office("xihu"):
        petition = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
    index_now("xihu", petition)
    return petition, chen
