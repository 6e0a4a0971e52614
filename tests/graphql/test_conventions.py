"""The API convention (docs/api.md), checked over the whole schema: what a new field must follow."""

import re

import pytest
from django.db import models

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
)
from tests.graphql.conventions import fields_of, inputs_of, own_types, undocumented, unwrap
from xinfang.graphql.schema import public_schema, schema
from xinfang.platform.errors import ErrorCode

OFFICE = schema.graphql_schema
SCHEMAS = [OFFICE, public_schema.graphql_schema]

# Lists of objects that are NOT connections, each bounded by the domain (docs/api.md, "Lists").
BOUNDED_LISTS = {
    "Office.parentChain": "at most two ancestors (county → city → province)",
    "Office.children": "the divisions below one office",
    "Petition.petitioners": "the people on one petition",
    "Query.categories": "the fixed taxonomy",
    "Query.divisions": "the divisions of one province (about 100)",
    "Query.petitionCounts": "one row per status",
    "Query.officeSettingsBounds": "one row per office setting",
    "OfficeCalendar.days": "the holidays and working weekends of one year",
    "OfficeMetrics.byChannel": "one row per channel",
    "OfficeMetrics.byCategory": "one row per category",
    "PetitionProgress.steps": "the public steps of one matter, at the few offices it reached",
    "PetitionProgress.documents": "the documents sent to one petitioner about one matter",
    "PetitionProgress.offices": "the offices one matter passed through (a chain of a few)",
    "Query.noticeTemplates": "one per kind of notice (the NoticeKind catalogue)",
    "NoticeTemplate.placeholders": "the seven placeholders a template may use",
    "RepeatCheck.candidates": "the best few candidates the check keeps",
    "RepeatPreview.candidates": "the best few candidates of a draft (at most 50 retrieved)",
    "CollectiveAlert.offices": "the offices of one group",
    "CollectiveAlert.members": "the petitions of one group",
    "SearchFacets.category": "facet buckets (at most 50)",
    "SearchFacets.channel": "facet buckets (one per channel)",
    "SearchFacets.status": "facet buckets (one per status)",
    "SearchFacets.office": "facet buckets (at most 50)",
    "SupervisionOverview.byOffice": "one row per office of the subtree with something to show",
    "SubtreeMetrics.offices": "one row per office of the subtree",
    "SubtreeResolutionMetrics.offices": "one row per office of the subtree",
    "Query.receptionSchedule": "the sessions of at most 92 days",
    "Query.receptionSessions": "the sessions of at most 92 days",
    "Visit.officers": "the officers who went on one visit",
    "Visit.petitions": "the petitions one visit concerns",
    "Visit.matters": "the matters one visit concerns",
    "Visit.followUps": "the follow-ups agreed at one visit",
    "HardCase.milestones": "the steps of one hard case's plan",
    "Investigation.sources": "the sources one investigation heard",
    "CarePlan.visits": "the contacts under one care plan",
    "PetitionResolution.visits": "the visits about one petition",
    "PetitionResolution.investigations": "the investigations of one petition",
    "PetitionResolution.outcomes": "one per closure of one petition",
    "PetitionResolution.reopenings": "one per re-handling of one petition",
    "PetitionResolution.actionItems": "the implementation items of one opinion",
    "PetitionResolution.hardCases": "the hard cases of one petition (one open at a time)",
    "PetitionResolution.carePlans": "the care plans of one terminated petition",
}


def _connection_fields(schema):
    for type_name, field_name, field in fields_of(schema):
        if unwrap(field.type).name.endswith("Connection"):
            yield type_name, field_name, field


@pytest.mark.parametrize("schema", SCHEMAS, ids=["office", "public"])
def test_no_object_is_named_by_a_raw_uuid_an_integer_or_a_string_id(schema):
    assert "UUID" not in schema.type_map, "objects are named by global IDs (ID), never UUIDs"
    wrong = [
        f"{where}({name}:) is {unwrap(type_).name}"
        for where, name, type_ in inputs_of(schema)
        if re.search(r"(^id|Id|Ids|^ids)$", name) and unwrap(type_).name != "ID"
    ]
    wrong += [
        f"{type_name}.{field_name} is {unwrap(field.type).name}"
        for type_name, field_name, field in fields_of(schema)
        if re.search(r"(^id|Id)$", field_name) and unwrap(field.type).name != "ID"
    ]
    assert wrong == []


def test_every_type_with_an_id_is_a_node_that_node_resolves():
    node = OFFICE.type_map["Node"]
    with_id = [
        name
        for name, type_ in own_types(OFFICE)
        if isinstance(type_, GraphQLObjectType) and "id" in type_.fields
    ]
    assert with_id, "no node types found"
    for name in with_id:
        type_ = OFFICE.type_map[name]
        assert node in type_.interfaces, f"{name} has an id but is not a Node"
        graphene_type = type_.graphene_type
        assert hasattr(graphene_type, "get_node"), f"node(id:) cannot resolve a {name}"
        assert type_.is_type_of is not None, f"{name} needs possible_types to be told apart"
    assert {"node", "nodes"} <= set(OFFICE.query_type.fields)


def test_every_mutation_returns_a_non_null_payload_named_after_it():
    wrong = []
    for name, field in OFFICE.mutation_type.fields.items():
        expected = name[0].upper() + name[1:] + "Payload"
        if not isinstance(field.type, GraphQLNonNull) or field.type.of_type.name != expected:
            wrong.append(f"{name}: {field.type} (expected {expected}!)")
    assert wrong == []


@pytest.mark.parametrize("schema", SCHEMAS, ids=["office", "public"])
def test_enum_values_are_upper_case(schema):
    wrong = [
        f"{name}.{value}"
        for name, type_ in own_types(schema)
        if isinstance(type_, GraphQLEnumType)
        for value in type_.values
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", value)
    ]
    assert wrong == []


def test_choice_enums_answer_the_stored_value_and_the_choice_member_alike():
    """A model instance holds the stored value once loaded but the choice member right after a
    service set it; resolvers return either, unconverted (graphql/enums.py)."""
    choice_enums = [
        type_
        for _, type_ in own_types(OFFICE)
        if isinstance(type_, GraphQLEnumType)
        and issubclass(type_.graphene_type._meta.enum, models.Choices)
    ]
    assert len(choice_enums) >= 30
    wrong = [
        f"{type_.name}.{member.name}"
        for type_ in choice_enums
        for member in type_.graphene_type._meta.enum
        if not type_.serialize(member) == type_.serialize(member.value) == member.value.upper()
    ]
    assert wrong == []


@pytest.mark.parametrize("schema", SCHEMAS, ids=["office", "public"])
def test_every_list_of_objects_is_a_connection_or_bounded_by_the_domain(schema):
    plain = sorted(
        f"{type_name}.{field_name}"
        for type_name, field_name, field in fields_of(schema)
        if _is_list(field.type)
        and isinstance(unwrap(field.type), GraphQLObjectType)
        and not type_name.endswith("Connection")
        and f"{type_name}.{field_name}" not in BOUNDED_LISTS
    )
    assert plain == [], "make these connections, or add them to BOUNDED_LISTS with their bound"


def test_every_bounded_list_named_exists():
    every = {f"{t}.{f}" for schema in SCHEMAS for t, f, _ in fields_of(schema)}
    assert sorted(set(BOUNDED_LISTS) - every) == []


def _is_list(type_) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


@pytest.mark.parametrize("schema", SCHEMAS, ids=["office", "public"])
def test_connections_have_the_one_shape_and_paging_arguments(schema):
    wrong = []
    for type_name, field_name, field in _connection_fields(schema):
        connection = unwrap(field.type)
        if not {"edges", "pageInfo", "totalCount"} <= set(connection.fields):
            wrong.append(f"{connection.name} lacks edges, pageInfo or totalCount")
        if not isinstance(field.type, GraphQLNonNull) and type_name != "Query":
            wrong.append(f"{type_name}.{field_name} may be null")
        if not {"first", "after", "last", "before"} <= set(field.args):
            wrong.append(f"{type_name}.{field_name} lacks first/after/last/before")
    assert wrong == []


def test_the_error_catalogue_is_published_whole():
    published = set(OFFICE.type_map["ErrorCode"].values)
    assert published == {code.value for code in ErrorCode}


@pytest.mark.parametrize("schema", SCHEMAS, ids=["office", "public"])
def test_every_type_field_argument_enum_value_and_input_field_has_a_description(schema):
    missing = undocumented(schema)
    assert not missing, (
        f"{len(missing)} without a description (give the field description=…, the type a "
        "docstring, the enum value a choice label):\n  " + "\n  ".join(missing)
    )
