"""Client mistakes from issue 14's fuzz, each a typed error naming its field (never INTERNAL_ERROR).

Lengths come from the models (platform/validation.py): the limit in each error is the field's own
`max_length`, read here from the model, so the test follows the declaration.
"""

import pytest

from tests import factories
from tests.support.graphql import error_code, gql
from xinfang.platform.cases.models import Evaluation, Petition, Petitioner, RegistrationRequest
from xinfang.platform.cases.services import QUERY_CODE_LENGTH
from xinfang.platform.exchange.models import Handoff
from xinfang.platform.validation import max_length

pytestmark = pytest.mark.django_db

REGISTER = """
mutation($place: String!, $content: String!, $petitioners: [PetitionerInput!]!, $key: String) {
  registerPetition(channel: ONLINE, category: "02.01", place: $place, content: $content,
                   petitioners: $petitioners, idempotencyKey: $key) { petition { id } }
}
"""
PERSON = {"name": "周九", "phone": "13700000000"}


def _register(client, place="杭州市西湖区文三路", person=PERSON, key="", content="拖欠工资"):
    return gql(client, REGISTER, place=place, content=content, petitioners=[person], key=key)


@pytest.mark.parametrize(
    ("field", "model", "model_field", "arguments"),
    [
        ("place", Petition, "place", lambda n: {"place": "地" * n}),
        ("name", Petitioner, "name", lambda n: {"person": {**PERSON, "name": "名" * n}}),
        ("idempotencyKey", RegistrationRequest, "key", lambda n: {"key": "k" * n}),
        ("content", Petition, "content", lambda n: {"content": "诉" * n}),
    ],
)
def test_a_text_one_past_its_models_limit_is_value_too_long_naming_the_field(
    officer_client, field, model, model_field, arguments
):
    client, _ = officer_client("xihu", "registrar")
    limit = max_length(model, model_field)
    assert "errors" not in _register(client, **arguments(limit))
    body = _register(client, **arguments(limit + 1))
    assert error_code(body) == "TOO_LONG"
    extensions = body["errors"][0]["extensions"]
    assert extensions["field"] == field and extensions["maxLength"] == limit


def _public_forms() -> list[type]:
    from django import forms as django_forms

    from xinfang.platform.publicsite import forms

    return [
        form
        for form in vars(forms).values()
        if isinstance(form, type)
        and issubclass(form, django_forms.Form)
        and form.__module__ == forms.__name__
    ]


# Each text of the petitioners' forms, by the model field whose `max_length` it must have.
FORM_TEXTS = {
    "name": (Petitioner, "name"),
    "id_number": (Petitioner, "id_number"),
    "phone": (Petitioner, "phone"),
    "email": (Petitioner, "email"),
    "address": (Petitioner, "address"),
    "place": (Petition, "place"),
    "accused_body": (Petition, "accused_body"),
    "content": (Petition, "content"),
    "request": (Petition, "request"),
    "reference": (Petition, "reference"),
    "comment": (Evaluation, "comment"),
    "grounds": (Handoff, "reason"),
}
# Texts no model keeps: the query code (its length is the code's own), the honeypot and the
# signed form token (each refused whatever its length when wrong).
OTHER_TEXTS = {"query_code": QUERY_CODE_LENGTH, "homepage": None, "form_token": None}


def test_every_text_of_the_petitioners_forms_has_its_model_fields_limit():
    from django import forms as django_forms

    checked = set()
    for form in _public_forms():
        for name, field in form.base_fields.items():
            if not isinstance(field, django_forms.CharField):
                continue
            if name in OTHER_TEXTS:
                expected = OTHER_TEXTS[name]
            else:
                assert name in FORM_TEXTS, f"{form.__name__}.{name}: which model field keeps it?"
                expected = max_length(*FORM_TEXTS[name])
                assert expected, f"{FORM_TEXTS[name]} declares no max_length"
            assert field.max_length == expected, (form.__name__, name, field.max_length, expected)
            checked.add(name)
    assert checked == FORM_TEXTS.keys() | OTHER_TEXTS.keys()


@pytest.mark.parametrize("text", ["文三\x00路", "文三\x1b[31m路", "\x7f"])
def test_control_characters_in_a_variable_are_refused_before_anything_runs(officer_client, text):
    client, _ = officer_client("xihu", "registrar")
    body = _register(client, place=text)
    assert error_code(body) == "INVALID_CHARACTERS"
    assert body["errors"][0]["extensions"]["field"] == "place"
    assert "data" not in body
    assert _register(client, place="文三路\n\t二号")["data"]  # line breaks and tabs are text


def test_a_nul_byte_in_a_literal_names_its_argument(officer_client):
    client, _ = officer_client("xihu", "registrar")
    body = gql(client, '{ petitionByReference(reference: "330106\\u0000") { id } }')
    assert error_code(body) == "INVALID_CHARACTERS"
    assert body["errors"][0]["extensions"]["field"] == "reference"


@pytest.mark.parametrize(
    "query",
    [
        "{ handoffInbox(first: null) { totalCount } }",
        "{ handoffOutbox(first: null) { totalCount } }",
        "{ petitions(first: null) { totalCount } }",
        "{ petitions(last: null, before: null) { totalCount } }",
    ],
)
def test_a_null_page_size_means_the_default_page(officer_client, query):
    client, _ = officer_client("xihu", "leader")
    assert "errors" not in gql(client, query)


@pytest.mark.parametrize("username", ["", "   "])
def test_an_empty_username_is_required_naming_the_field(officer_client, username):
    client, _ = officer_client("xihu", "admin")
    body = gql(
        client,
        "mutation($u: String!) { createOfficer(username: $u, password: $p, roles: [REGISTRAR])"
        " { officer { id } } }".replace("$p", '"a-long-enough-pass-9"'),
        u=username,
    )
    assert error_code(body) == "REQUIRED"
    assert body["errors"][0]["extensions"]["field"] == "username"


def test_a_number_past_its_column_is_out_of_range(in_office):
    """A save beyond an integer column is refused before PostgreSQL's own error."""
    from xinfang.platform.accounts.models import Role
    from xinfang.platform.validation import ValueOutOfRange

    with in_office("xihu"):
        registration = factories.petition(officer=factories.officer(roles=(Role.REGISTRAR,)))
        petition = registration.petition
        petition.version = 2**31
        with pytest.raises(ValueOutOfRange) as refused:
            petition.save(update_fields=["version"])
    assert refused.value.field == "version"


def test_a_value_postgresql_refuses_is_still_a_typed_error(in_office):
    """The safety net behind the models' limits: a row no check saw (bulk_create without
    `checked`) and PostgreSQL refused keeps a typed code instead of INTERNAL_ERROR."""
    from django.db import DataError, transaction

    from graphql import GraphQLError
    from xinfang.graphql.errors import format_error
    from xinfang.platform.accounts.models import Role

    with in_office("xihu"):
        petition = factories.petition(officer=factories.officer(roles=(Role.REGISTRAR,))).petition
        with pytest.raises(DataError) as refused, transaction.atomic():
            Petitioner.objects.bulk_create([Petitioner(petition=petition, name="名" * 51)])
    error = GraphQLError("x", path=["registerPetition"], original_error=refused.value)
    assert format_error(error)["extensions"] == {"code": "TOO_LONG"}


def test_an_explicit_null_for_an_optional_text_is_no_text(officer_client, in_office):
    """Found by the fuzz: `reason: null` reached a NOT NULL column as INTERNAL_ERROR."""
    from tests.support.graphql import gid

    client, officer = officer_client("xihu", "registrar", "leader")
    with in_office("xihu"):
        petition = factories.petition(officer=officer).petition
    body = gql(
        client,
        'mutation($id: ID!) { transferPetition(petitionId: $id, receiverCode: "330110",'
        " reason: null, idempotencyKey: null) { handoff { id } } }",
        id=gid("Petition", "330106", petition.pk),
    )
    assert "errors" not in body, body
