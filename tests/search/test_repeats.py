"""Repeat detection at registration and on demand: the same person or the same matter anywhere in
the province, restricted details outside the office's visibility, officers' decisions, terminated
matters flagged at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests import factories
from tests.search.builders import person, register_by
from tests.support.recorded import recorded_effects
from xinfang.platform.cases.metrics import office_metrics
from xinfang.platform.errors import PermissionDenied
from xinfang.platform.registry import services as registry
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search import services
from xinfang.search.client import es_client
from xinfang.search.indexing import index_petitions
from xinfang.search.models import RepeatCandidate, RepeatCheck
from xinfang.search.repeats import MAX_CANDIDATES, check_repeats

pytestmark = pytest.mark.django_db

PLACE = "杭州市西湖区转塘街道龙坞村"
ORIGINAL = (
    "我是龙坞村村民，2023年村里征地拆迁，补偿款至今没有发放到位，"
    "街道和村委会一直推诿，多次反映无果，生活困难。"
)
REWORDED = (
    "本人系龙坞村村民。村里2023年征地拆迁以后，补偿款到现在还没有发放到位，"
    "村委会和街道互相推诿，反映多次都没有结果，请求上级督促解决。"
)
OTHER_VILLAGE = (
    "我是大诸桥村村民，村里修路占用了我家承包地，补偿标准太低，"
    "镇政府不予理睬，要求重新评估并提高补偿。"
)


@pytest.fixture
def earlier(offices, in_office, index_now):
    """A county petition by Chen about land compensation in Longwu village."""
    chen = person("陈某")
    with in_office("xihu"):
        petition = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
    index_now("xihu", petition)
    return petition, chen


def _check(offices, name, petition):
    with tenant_context(offices[name]):
        return check_repeats(petition)


def _again_at_the_city(offices, in_office, chen, *, roles):
    """Chen petitions the city again on the same matter and its check runs: the petition, its
    one candidate (his earlier petition) and an officer of the city holding `roles`."""
    with in_office("hangzhou"):
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
        officer = factories.officer(roles=roles)
    _check(offices, "hangzhou", again)
    with in_office("hangzhou"):
        return again, RepeatCandidate.objects.get(petition=again), officer


def test_the_same_person_at_the_city_is_found_with_restricted_details(offices, in_office, earlier):
    first, chen = earlier
    with in_office("hangzhou"):
        again = register_by(
            chen, content=REWORDED, place="西湖区转塘街道龙坞村", place_code="330106"
        )
    result = _check(offices, "hangzhou", again)
    assert result.available
    [candidate] = result.candidates
    assert candidate.petition_id == str(first.pk)
    assert candidate.reasons == ["same_person", "similar_content"]
    assert candidate.score > 0.9
    assert (candidate.office_code, candidate.office_level) == ("330106", "county")
    assert candidate.reference == first.reference and candidate.status == "registered"
    assert candidate.visible is False and candidate.details is None, "the city may not see it"


def test_earlier_petitions_not_yet_indexed_are_found_and_indexed_in_bulk_by_the_check(
    offices, in_office, es_index
):
    """Their indexing is still queued (a backlog after an outage): the check sees them anyway,
    indexing the missing ones with one bulk request per office."""
    chen = person("陈某")
    with in_office("xihu"):
        at_county = [register_by(chen, content=ORIGINAL, place=PLACE) for _ in range(6)]
    with in_office("hangzhou"):
        at_city = register_by(chen, content=REWORDED, place=PLACE)
    with in_office("xihu"):
        again = register_by(chen, content=REWORDED, place=PLACE)
    with CaptureQueriesContext(connection) as queries:
        result = _check(offices, "xihu", again)
    loads = [q["sql"] for q in queries if 'FROM "cases_petitioner"' in q["sql"]]
    assert len(loads) <= 3, loads  # the new petition's, then one per office: not one per petition
    found = {c.petition_id for c in result.candidates}
    assert found == {str(p.pk) for p in [*at_county, at_city]}
    docs = es_client().mget(index=es_index, ids=sorted(found), source=False)["docs"]
    assert all(d["found"] for d in docs)


def test_a_relative_on_the_same_matter_is_found_by_similar_content_at_the_province(
    offices, in_office, earlier
):
    first, _ = earlier
    with in_office("zhejiang"):
        relative = register_by(person("陈某某"), content=REWORDED, place=PLACE, place_code="330106")
    [candidate] = _check(offices, "zhejiang", relative).candidates
    assert candidate.petition_id == str(first.pk)
    assert candidate.reasons == ["similar_content"]


def test_an_unrelated_petition_on_the_same_topic_is_not_a_candidate(offices, in_office, earlier):
    with in_office("yuhang"):
        other = register_by(
            person(),
            content=OTHER_VILLAGE,
            place="杭州市西湖区转塘街道大诸桥村",
            place_code="330106",
        )
    assert _check(offices, "yuhang", other).candidates == []


def test_the_same_person_is_recognised_by_phone_without_an_id_number(offices, in_office, earlier):
    _, chen = earlier
    with in_office("xihu"):
        by_phone = register_by(
            factories.PetitionerInput(name="陈某", phone=chen.phone), content="物业乱收费问题。"
        )
    [candidate] = _check(offices, "xihu", by_phone).candidates
    assert candidate.reasons == ["same_person"]
    assert candidate.visible and "龙坞村" in candidate.details["content"], "its own office sees it"


def test_results_and_decisions_are_stored_and_confirming_marks_the_petition_repeat(
    offices, in_office, earlier
):
    first, chen = earlier
    again, candidate, officer = _again_at_the_city(offices, in_office, chen, roles=["handler"])
    with in_office("hangzhou"):
        assert RepeatCheck.objects.get(petition=again).state == "done"
        services.repeat_candidate_confirm(candidate_id=candidate.pk, officer=officer)
        again.refresh_from_db()
        assert again.is_repeat and again.repeat_of_matter == first.matter_id
        record = PetitionRecord.objects.get(petition_id=again.pk)
        assert record.is_repeat, "the registry (subtree metrics) counts it as a repeat"
        today = timezone.localdate()
        figures = office_metrics(start=today, end=today).total
        assert (figures.repeat, figures.first_time) == (1, 0), "repeat, not first-time"
        candidate.refresh_from_db()
        assert candidate.decision == "confirmed" and candidate.decided_by == officer
        services.repeat_candidate_dismiss(candidate_id=candidate.pk, officer=officer)
        again.refresh_from_db()
        assert not again.is_repeat and again.repeat_of_matter is None
    _check(offices, "hangzhou", again)  # a new check keeps the officer's decision
    with in_office("hangzhou"):
        assert RepeatCandidate.objects.get(petition=again).decision == "dismissed"


def test_confirming_and_dismissing_each_write_an_event_and_queue_one_indexing(
    offices, in_office, earlier
):
    _, chen = earlier
    again, candidate, officer = _again_at_the_city(offices, in_office, chen, roles=["handler"])
    with in_office("hangzhou"):
        for decide, kind in (
            (services.repeat_candidate_confirm, "repeat_confirmed"),
            (services.repeat_candidate_dismiss, "repeat_unconfirmed"),
        ):
            connection.run_on_commit.clear()  # as if what came before had committed
            with recorded_effects() as recorded:
                decide(candidate_id=candidate.pk, officer=officer)
            assert recorded[("search.index", str(again.pk))] == 1, decide.__name__
            event = again.events.order_by("-at", "-id").first()
            assert (event.kind, event.actor) == (kind, officer)


def test_an_officer_without_a_deciding_role_cannot_confirm(offices, in_office, earlier):
    _, chen = earlier
    _, candidate, supervisor = _again_at_the_city(offices, in_office, chen, roles=["supervisor"])
    with in_office("hangzhou"):
        with pytest.raises(PermissionDenied) as raised:
            services.repeat_candidate_confirm(candidate_id=candidate.pk, officer=supervisor)
        assert raised.value.code == "PERMISSION_DENIED"


def test_a_petition_on_a_terminated_matter_is_flagged_at_once(offices, in_office, earlier):
    first, chen = earlier
    with in_office("xihu"):
        first.status = "terminated"
        first.save(update_fields=["status", "updated_at"])
        registry.sync(first)
    with in_office("ningbo"):
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
    result = _check(offices, "ningbo", again)
    assert result.on_terminated_matter
    assert result.candidates[0].on_terminated_matter
    with in_office("ningbo"):
        check = RepeatCheck.objects.get(petition=again)
        assert check.on_terminated_matter and check.terminated_matter_ids == [first.matter_id]


def test_copies_of_the_same_matter_and_later_petitions_are_not_candidates(
    offices, in_office, index_now, earlier
):
    first, chen = earlier
    with in_office("hangzhou"):
        copy = register_by(chen, content=ORIGINAL, place=PLACE, matter_id=first.matter_id)
    index_now("hangzhou", copy)
    assert _check(offices, "xihu", first).candidates == [], "a copy and later petitions are not"


def test_a_petition_registered_a_moment_before_and_not_yet_searchable_is_found(
    offices, in_office, es_index
):
    chen = person("陈某")
    with in_office("xihu"):
        first = register_by(chen, content=ORIGINAL, place=PLACE, place_code="330106")
    with in_office("yuhang"):  # `first` is neither indexed nor refreshed
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
    [candidate] = _check(offices, "yuhang", again).candidates
    assert candidate.petition_id == str(first.pk)


def test_the_earlier_petitions_office_learns_of_the_later_repeat(offices, in_office, earlier):
    first, chen = earlier
    with in_office("hangzhou"):
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
    _check(offices, "hangzhou", again)
    with tenant_context(offices["xihu"]):
        [later] = RepeatCandidate.objects.filter(petition=first)
    assert later.later and later.candidate_petition_id == again.pk
    assert (later.office_code, later.reference) == ("330100", again.reference)
    assert "same_person" in later.reasons


def test_an_accusation_is_never_matched_by_its_reporter_where_that_would_name_them(
    offices, in_office, index_now
):
    """Art 30 in the repeat check: 王小明 accused 三墩镇 (inside 西湖) at 余杭. When he petitions
    西湖 again, 西湖's check must not show it the accusation as his earlier petition (nor give
    his earlier 西湖 petition the accusation as a later one): that would tell the accused's
    office who accused. 鄞州, outside the accused's area, sees the match."""
    wang = person("王小明")
    with in_office("xihu"):
        earlier_here = register_by(wang, content=ORIGINAL, place=PLACE, place_code="330106")
    index_now("xihu", earlier_here)
    with in_office("yuhang"):
        accusation = register_by(
            wang, content=ORIGINAL, place=PLACE, place_code="330106", is_accusation=True,
            accused_body="三墩镇人民政府", accused_kind="town", accused_division_code="330106109",
        )  # fmt: skip
    seen_by_accuser = _check(offices, "yuhang", accusation)
    index_now("yuhang", accusation)
    assert [c.petition_id for c in seen_by_accuser.candidates] == [str(earlier_here.pk)]
    with tenant_context(offices["xihu"]):
        assert not RepeatCandidate.objects.filter(petition=earlier_here).exists()
        again = register_by(wang, content=REWORDED, place=PLACE, place_code="330106")
    accusation_id = str(accusation.pk)
    assert accusation_id not in [c.petition_id for c in _check(offices, "xihu", again).candidates]
    with tenant_context(offices["yinzhou"]):
        elsewhere = register_by(wang, content=REWORDED, place=PLACE, place_code="330106")
    assert accusation_id in [
        c.petition_id for c in _check(offices, "yinzhou", elsewhere).candidates
    ]


def test_a_petitioner_with_hundreds_of_earlier_petitions_is_checked_in_bounded_queries(
    offices, in_office, es_index
):
    """250 earlier petitions by one person at two offices: the check stores the strongest
    `MAX_CANDIDATES` and tells both offices in a fixed number of statements, however many."""
    chen = person("陈某")
    earlier = {}
    for name, count in (("xihu", 150), ("yuhang", 100)):
        with in_office(name):
            earlier[name] = [register_by(chen, content=ORIGINAL, place=PLACE) for _ in range(count)]
            index_petitions([p.pk for p in earlier[name]])
    es_client().indices.refresh(index=es_index)
    with in_office("hangzhou"):
        again = register_by(chen, content=REWORDED, place=PLACE)
    with CaptureQueriesContext(connection) as queries:
        result = _check(offices, "hangzhou", again)
    assert len(result.candidates) == MAX_CANDIDATES
    assert len(queries) <= 20, [q["sql"][:80] for q in queries]
    with in_office("hangzhou"):
        assert RepeatCandidate.objects.filter(petition=again).count() == MAX_CANDIDATES
    told = 0
    for name in earlier:
        with tenant_context(offices[name]):
            told += RepeatCandidate.objects.filter(candidate_petition_id=again.pk).count()
    assert told == MAX_CANDIDATES, "each earlier petition found learns of the later one"


def test_equal_scores_are_ordered_by_the_evidence_never_by_date(offices, in_office, earlier):
    """Chen's earlier petitions both score 1.0 (his ID number); the one about this matter, though
    older, comes first as stored and read, where newest-first would put the other first."""
    first, chen = earlier
    with in_office("xihu"):
        other = register_by(chen, content=OTHER_VILLAGE, place="杭州市西湖区三墩镇大诸桥村")
        again = register_by(chen, content=REWORDED, place=PLACE, place_code="330106")
    result = _check(offices, "xihu", again)
    assert [c.score for c in result.candidates] == [1.0, 1.0]
    assert [c.petition_id for c in result.candidates] == [str(first.pk), str(other.pk)]
    with in_office("xihu"):
        stored = list(RepeatCandidate.objects.filter(petition=again))
    assert [c.candidate_petition_id for c in stored] == [first.pk, other.pk]
    assert other.registered_at > first.registered_at
