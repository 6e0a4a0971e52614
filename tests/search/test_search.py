"""Full-text search for officers: Chinese words, highlights, facets, filters — always within what
the office may see (viewer_codes from registry/visibility.py)."""

import random

import pytest
from django_tenants.utils import tenant_context

from tests.search.builders import person, register_by
from xinfang.platform.registry import services as registry
from xinfang.search.selectors import (
    EXCLUDED_FROM_HITS,
    SearchFilters,
    officer_search,
    search_petitions,
)

pytestmark = pytest.mark.django_db

CONTENT = "龙坞村征地拆迁补偿款一直没有发放到位，村民多次反映无果。"


@pytest.fixture
def petitions(offices, in_office, index_now):
    """One petition per office, each about land compensation, each visible to its office only."""
    made = {}
    for name in ("zhejiang", "hangzhou", "xihu", "yuhang", "ningbo", "yinzhou"):
        with in_office(name):
            made[name] = register_by(content=f"{CONTENT}（{name}）", category="01.01")
        index_now(name, made[name])
    return made


def _ids(result):
    return {hit.petition_id for hit in result.hits}


def test_search_finds_chinese_words_with_highlights_and_facets(offices, in_office, index_now):
    with in_office("xihu"):
        land = register_by(content=CONTENT, category="01.01", channel="visit")
        wages = register_by(
            content="某建筑公司拖欠农民工工资三个月。", category="02.01", channel="letter"
        )
    index_now("xihu", land, wages)
    result = search_petitions(office=offices["xihu"], text="拆迁补偿")
    assert _ids(result) == {str(land.pk)}
    assert any("<em>" in fragment for fragment in result.hits[0].highlights)
    everything = search_petitions(office=offices["xihu"], text="")
    assert dict(everything.facets["category"]) == {"01.01": 1, "02.01": 1}
    assert dict(everything.facets["channel"]) == {"visit": 1, "letter": 1}
    assert dict(everything.facets["office"]) == {"330106": 2}
    only_letters = search_petitions(
        office=offices["xihu"], filters=SearchFilters(channels=["letter"])
    )
    assert _ids(only_letters) == {str(wages.pk)}
    assert dict(only_letters.facets["channel"]) == {"visit": 1, "letter": 1}, "facet ignores itself"


def test_words_separated_by_spaces_must_all_appear(offices, in_office, index_now):
    with in_office("xihu"):
        land = register_by(content=CONTENT)
    index_now("xihu", land)
    assert _ids(search_petitions(office=offices["xihu"], text="征地  补偿")) == {str(land.pk)}
    assert _ids(search_petitions(office=offices["xihu"], text="征地 工资")) == set()


HOSTILE_INPUTS = [
    ("", SearchFilters()),
    ("拆迁", SearchFilters()),
    ("*", SearchFilters()),
    ("viewer_codes:330212 OR *:*", SearchFilters()),
    ('{"match_all": {}}', SearchFilters()),
    (
        "拆迁",
        SearchFilters(office_codes=["330000", "330100", "330106", "330110", "330200", "330212"]),
    ),
    ("", SearchFilters(statuses=["registered"], categories=["01.01"], channels=["visit"])),
    ("330212", SearchFilters(office_codes=["330212"])),
]


@pytest.mark.parametrize(("text", "filters"), HOSTILE_INPUTS)
def test_no_query_from_any_office_returns_another_office_hidden_petition(
    offices, petitions, text, filters
):
    for name, office in offices.items():
        result = search_petitions(office=office, text=text, filters=filters, size=100)
        assert _ids(result) <= {str(petitions[name].pk)}, name
        for facet in result.facets.values():
            assert sum(count for _, count in facet) <= 1, (name, result.facets)


def test_search_by_reference_number_stays_within_visibility(offices, petitions):
    reference = petitions["yinzhou"].reference
    assert _ids(search_petitions(office=offices["yinzhou"], text=reference)) == {
        str(petitions["yinzhou"].pk)
    }
    assert _ids(search_petitions(office=offices["ningbo"], text=reference)) == set()


def test_a_city_finds_a_county_petition_once_it_is_cross_level(offices, petitions, index_now):
    county_petition = petitions["xihu"]
    assert str(county_petition.pk) not in _ids(
        search_petitions(office=offices["hangzhou"], text="拆迁")
    )
    with tenant_context(offices["xihu"]):
        county_petition.is_skip_level = True
        county_petition.save(update_fields=["is_skip_level", "updated_at"])
        registry.sync(county_petition)
    index_now("xihu", county_petition)
    for name in ("hangzhou", "zhejiang"):
        assert str(county_petition.pk) in _ids(search_petitions(office=offices[name], text="拆迁"))
    assert str(county_petition.pk) not in _ids(
        search_petitions(office=offices["ningbo"], text="拆迁")
    )


def test_search_never_returns_content_or_personal_keys_in_hits(offices, in_office, index_now):
    with in_office("xihu"):
        petition = register_by(person("赵六"), content=CONTENT)
    index_now("xihu", petition)
    [source] = [h.to_dict() for h in officer_search(offices["xihu"], "拆迁", SearchFilters())]
    assert source["petition_id"] == str(petition.pk)
    assert not set(EXCLUDED_FROM_HITS) & set(source), "Elasticsearch sent them back"
    assert {"content", "person_keys"} <= set(EXCLUDED_FROM_HITS)
    hit = search_petitions(office=offices["xihu"], text="拆迁").hits[0]
    assert "赵六" not in str(hit) and CONTENT not in str(hit)


def test_random_text_and_filters_never_reach_a_hidden_petition(offices, petitions):
    """Fuzz: random words, operators, codes and filter combinations, from every office."""
    rng = random.Random(5)
    alphabet = [*"征地拆迁补偿款龙坞村反映无果", "*", ":", "OR", "AND", "(", ")", '"', "\\", " "]
    codes = [office.code for office in offices.values()]
    for _ in range(40):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        filters = SearchFilters(
            office_codes=rng.sample(codes, rng.randint(0, len(codes))),
            statuses=rng.sample(["registered", "accepted", "closed"], rng.randint(0, 2)),
            categories=rng.sample(["01.01", "02.01"], rng.randint(0, 2)),
        )
        name = rng.choice(list(offices))
        result = search_petitions(office=offices[name], text=text, filters=filters, size=100)
        assert _ids(result) <= {str(petitions[name].pk)}, (name, text, filters)
