"""The petitions index: versioned behind an alias, CJK bigrams, idempotent indexing, rebuild with
an alias swap, reconcile of missing and stale petitions."""

import copy

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from tests import factories
from tests.search.builders import register_by
from xinfang.platform.cases.services import PetitionerInput
from xinfang.search import documents
from xinfang.search.client import es_client
from xinfang.search.indexing import index_petition

pytestmark = pytest.mark.django_db


def _doc(index, petition):
    return es_client().get(index=index, id=str(petition.pk))


def test_the_index_is_a_version_behind_the_alias_and_analyses_chinese_as_bigrams(es_index):
    assert documents.aliased_index() == documents.version_name(max(documents.existing_versions()))
    tokens = es_client().indices.analyze(index=es_index, field="content", text="征地拆迁补偿")
    terms = [t["token"] for t in tokens["tokens"]]
    assert "征地" in terms and "拆迁" in terms and "征地拆" in terms
    assert all(len(t) in (2, 3) for t in terms), "no single characters, no 4-grams"


def test_an_indexed_petition_has_its_offices_and_hmacs_but_no_names_or_numbers(
    offices, in_office, index_now, es_index
):
    id_number = factories.id_number()
    with in_office("xihu"):
        petition = register_by(
            PetitionerInput(name="王小明", id_number=id_number, phone="13911112222"),
            accused_body="转塘街道办事处",
        )
    index_now("xihu", petition)
    doc = _doc(es_index, petition)
    source = doc["_source"]
    assert source["office_code"] == "330106"
    assert source["ancestor_codes"] == ["330000", "330100"]
    assert source["province_code"] == "330000"
    assert source["office_level"] == "county"
    assert source["viewer_codes"] == ["330106"]
    assert source["matter_id"] == str(petition.matter_id)
    assert len(source["person_keys"]) == 1 and len(source["person_keys"][0]) == 64
    raw = str(doc)
    assert "王小明" not in raw and id_number not in raw and "13911112222" not in raw


def test_indexing_is_idempotent_and_never_replaces_a_newer_state(offices, in_office, index_now):
    with in_office("xihu"):
        petition = register_by()
        assert index_petition(petition.pk) == "indexed"
        version = es_client().get(index=documents.alias_name(), id=str(petition.pk))["_version"]
        assert index_petition(petition.pk) == "indexed"  # the same state again: harmless
        assert es_client().get(index=documents.alias_name(), id=str(petition.pk))["_version"] == (
            version
        )
        es_client().index(
            index=documents.alias_name(), id=str(petition.pk), version=version + 10,
            version_type="external", document={"status": "closed"},
        )  # fmt: skip
        assert index_petition(petition.pk) == "newer-in-index"


def test_reconcile_indexes_missing_and_stale_petitions(offices, in_office, index_now, es_index):
    with in_office("xihu"):
        missing = register_by(content="小区电梯长期故障无人维修，业主出行困难。")
        stale = register_by(content="企业拖欠农民工工资三个月，多次讨要无果。")
    index_now("xihu", stale)
    with tenant_context(offices["xihu"]):
        stale.status = "accepted"
        stale.save(update_fields=["status", "updated_at"])
    call_command("search_index", "reconcile", "--no-progress")
    assert _doc(es_index, missing)["_source"]["content"].startswith("小区电梯")
    assert _doc(es_index, stale)["_source"]["status"] == "accepted"


def test_rebuild_fills_a_new_version_and_moves_the_alias(offices, in_office, index_now, es_index):
    with in_office("yinzhou"):
        petition = register_by(place="宁波市鄞州区首南街道")
    index_now("yinzhou", petition)
    before = documents.aliased_index()
    call_command("search_index", "rebuild", "--no-progress")
    after = documents.aliased_index()
    assert after != before
    assert documents.existing_versions()[max(documents.existing_versions())] == after
    assert before not in documents.existing_versions().values(), "the old version is dropped"
    assert _doc(es_index, petition)["_index"] == after


def test_an_interrupted_rebuild_resumes_into_its_unfinished_version(offices, in_office, es_index):
    with in_office("yuhang"):
        petition = register_by(place="杭州市余杭区五常街道")
    versions = documents.existing_versions()
    unfinished = documents.create_version(max(versions) + 1)
    call_command("search_index", "rebuild", "--no-progress")
    assert documents.aliased_index() == unfinished
    assert _doc(es_index, petition)["_index"] == unfinished


def test_indexing_before_the_family_exists_creates_it_instead_of_a_dynamic_index(
    offices, in_office, es_index
):
    with in_office("xihu"):
        petition = register_by()
    documents.drop_family()
    es_client().index(index=documents.alias_name(), document={"stray": True})  # auto-created
    with in_office("xihu"):
        assert index_petition(petition.pk) == "indexed"
    assert documents.aliased_index() == documents.version_name(1)
    mapping = es_client().indices.get_mapping(index=documents.alias_name())
    assert next(iter(mapping.values()))["mappings"]["_meta"]["family"] == "xinfang-petitions"


def test_id_and_phone_numbers_written_into_the_text_never_reach_the_index(
    offices, in_office, index_now, es_index
):
    """Petitioners often write their numbers into the letter itself: the document carries the
    text with those numbers redacted, never the raw numbers (DESIGN §2 principle 4)."""
    id_number = factories.id_number()
    with in_office("xihu"):
        petition = register_by(
            content=f"本人身份证号{id_number}，电话13911112222，反映征地拆迁补偿问题。",
            request="请回电 139-1111-2222",
            place=f"转塘街道 {id_number}",
            accused_body="转塘街道办事处 13911112222",
        )
    index_now("xihu", petition)
    raw = str(_doc(es_index, petition))
    assert id_number not in raw
    assert "13911112222" not in raw and "139-1111-2222" not in raw
    assert "征地拆迁补偿" in raw, "the rest of the text is indexed as written"


NEW_IN_V2 = {"identity_keys", "household_keys", "name_keys", "kin_keys", "facts"}


def _version_1_build() -> str:
    """A live build as mapping version 1 made it: no identity keys, no facts."""
    body = copy.deepcopy(documents.build_index("unused").to_dict())
    body["mappings"]["_meta"]["mapping_version"] = 1
    for name in NEW_IN_V2:
        del body["mappings"]["properties"][name]
    name = documents.version_name(max(documents.existing_versions()) + 1)
    es_client().indices.create(index=name, **body)
    for previous in documents.point_alias_at(name):
        es_client().indices.delete(index=previous)
    return name


def test_a_build_with_the_old_mapping_takes_new_documents_then_upgrades_without_downtime(
    offices, in_office, index_now, es_index
):
    with in_office("xihu"):
        earlier = register_by(content="兰里村征地补偿款35万元至今没有发放。")
    old = _version_1_build()
    es_client().index(index=old, id=str(earlier.pk), document={"petition_id": str(earlier.pk)})
    assert documents.needs_upgrade()
    with in_office("xihu"):  # strict mapping: this write fails unless the new fields are added
        later = register_by(content="兰里村的补偿款还是没给。")
        assert index_petition(later.pk) == "indexed"
    fields = es_client().indices.get_mapping(index=old)[old]["mappings"]["properties"]
    assert set(fields) >= NEW_IN_V2
    assert documents.aliased_index() == old, "the old build serves until the rebuild is done"

    call_command("search_index", "upgrade", "--no-progress")
    new = documents.aliased_index()
    assert new != old and old not in documents.existing_versions().values()
    assert documents.mapping_version_of(new) == documents.MAPPING_VERSION
    assert not documents.needs_upgrade()
    assert "地:兰里村" in _doc(es_index, earlier)["_source"]["facts"], "earlier petitions too"
    call_command("search_index", "upgrade", "--no-progress")
    assert documents.aliased_index() == new, "an up-to-date build is left alone"
