"""A bounded property-based fuzz of the office GraphQL endpoint (issue 14, goal 4).

Every root query and mutation is called with documents that hypothesis-graphql builds from the
schema: random strings (NUL and control characters, any length), nulls wherever the schema
allows them, enum values, numbers at the edges, and IDs both real and made up; then, in the
negative mode, documents with one violation of the schema each (a wrong type, a missing argument).
Random documents rarely get a mutation as far as saving (one wrong argument of ten stops it
first), so a second fuzz sends each operation with its arguments as variables, each either a
plausible value (a real ID, version 1, a category, a division code) or a fuzzed one: a long or
control-laden text, an edge number, null; and in one request of four, one argument of the wrong
type. A client's mistake must come back as a typed error: never `INTERNAL_ERROR`, never a 5xx.

Where the examples go (`EXAMPLES`, per operation): the requests that reach the operation's own
code get the most. A document that breaks the schema, or variables of the wrong type, stop at
the specification's validation, the same code for every operation: a few examples per operation
cover it (and a request that gets one argument's type wrong stops there whatever the others
hold, so only one argument at a time is mistyped). A mutation's random documents rarely get
past its first argument's check, and the objects their payloads select are fuzzed by the
queries that return them: the variables fuzz is where mutations are tried in depth.

The seed is fixed (`derandomize`), so a run is repeatable and bounded; `XINFANG_FUZZ_EXAMPLES`
multiplies every count for a deeper search. The office, its officer and petition are set up
once per test, not once per operation: each operation's fuzz then runs in a savepoint rolled
back after it, logged in afresh and with cache keys of its own (throttles, the cost budget), so
it starts from the same office as a test of its own would; a test reports every operation that
failed, not only the first.
"""

import json
import os
import time
import uuid

import pytest
from graphql_relay import to_global_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)
from tests import factories
from xinfang.graphql.schema import schema as office_schema

pytestmark = pytest.mark.django_db

SCALE = int(os.environ.get("XINFANG_FUZZ_EXAMPLES", "1"))
EXAMPLES = {  # per operation
    ("query", Mode.POSITIVE): 8 * SCALE,  # random selections and arguments, nested ones too
    ("mutation", Mode.POSITIVE): 3 * SCALE,
    ("query", Mode.NEGATIVE): 2 * SCALE,  # one violation of the schema: validation's answer
    ("mutation", Mode.NEGATIVE): 2 * SCALE,
    "variables": 6 * SCALE,  # plausible and fuzzed values, as far as the services
}
SCHEMA = office_schema.graphql_schema
QUERY_FIELDS = sorted(SCHEMA.query_type.fields)
MUTATION_FIELDS = sorted(SCHEMA.mutation_type.fields)
# Fields the fuzz leaves out, with the reason: none may be here for hiding a failure.
SKIPPED = {
    "logout": "ends the fuzzing session itself (its own tests cover it)",
}
FIGURES = {"requests": 0, "seconds": 0.0}


def _scalars(ids: list[str]) -> dict:
    """Values for the scalars hypothesis-graphql cannot make up: real IDs from the office as
    well as garbage, dates in and out of range, JSON strings."""
    text = st.text(max_size=40)
    return {
        # Texts short and long (past every model's max_length), and values that pass the
        # services' first checks (a category, division codes, a reference), so that a mutation
        # gets as far as saving.
        "String": st.one_of(
            text,
            st.text(min_size=40, max_size=300),
            st.sampled_from(["02.01", "01.01", "330106", "330110", "330106-2026-000001", ""]),
            st.sampled_from(["a", "名"]).flatmap(lambda c: st.integers(1, 300).map(c.__mul__)),
        ).map(nodes.String),
        # Small numbers (a petition's version is 1, pages are short) as well as the edges.
        "Int": st.one_of(st.integers(0, 3), st.integers(-(2**31), 2**31 - 1)).map(nodes.Int),
        "ID": st.one_of(st.sampled_from(ids), text).map(nodes.String),
        "Date": st.one_of(st.dates().map(str), text).map(nodes.String),
        "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+08:00"), text).map(
            nodes.String
        ),
        "JSONString": st.one_of(st.just('{"a": 1}'), text).map(nodes.String),
    }


@pytest.fixture
def fuzz(in_office, client_for, search_index, settings):
    """`fuzz(cases, run)` calls `run(client, login, ids, *case)` for each case, each from the
    same office: an admin with every role in 西湖, one petition, the IDs of real objects."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.db import transaction

    from xinfang.platform.accounts.models import Role

    with in_office("xihu"):
        officer = factories.officer(roles=tuple(Role.values))
        petition = factories.petition(officer=officer).petition
    ids = [
        to_global_id("Petition", f"330106:{petition.pk}"),
        to_global_id("Officer", f"330106:{officer.pk}"),
        to_global_id("Office", "330106"),
    ]
    client = client_for("xihu")

    def login():
        with in_office("xihu"):
            client.force_login(officer)

    def each(cases, run) -> None:
        failures = []
        for case in cases:
            cache = {**settings.CACHES["default"], "KEY_PREFIX": f"fuzz-{uuid.uuid4().hex}"}
            settings.CACHES = {**settings.CACHES, "default": cache}
            AxesProxyHandler.get_implementation(force=True)
            with transaction.atomic():
                login()
                try:
                    run(client, login, ids, *case)
                except AssertionError as error:  # hypothesis's smallest failing example
                    failures.append(f"{case}: {error}")
                transaction.set_rollback(True)
        assert not failures, "\n\n".join(failures)

    return each


def _post(client, login, document: str, variables: dict | None = None):
    started = time.perf_counter()
    response = client.post(
        "/graphql/", {"query": document, "variables": variables}, content_type="application/json"
    )
    FIGURES["requests"] += 1
    FIGURES["seconds"] += time.perf_counter() - started
    assert response.status_code < 500, (response.status_code, document, variables)
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    assert "INTERNAL_ERROR" not in codes, (document, variables, body)
    assert None not in codes, (document, variables, body)  # every error carries its code
    if "NOT_AUTHENTICATED" in codes:
        login()  # a fuzzed mutation may end the session (a password change, say)


def _settings(examples: int):
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def _fuzz(strategy, examples: int, client, login):
    @_settings(examples)
    @given(document=strategy)
    def run(document):
        _post(client, login, document)

    run()


# --- arguments as variables: plausible or fuzzed, one by one --------------------------------------

TEXT = st.one_of(
    st.text(max_size=20),
    st.text(min_size=50, max_size=400),
    st.sampled_from(["a", "名", "\x00", "\x1b"]).flatmap(
        lambda c: st.integers(1, 300).map(c.__mul__)
    ),
)
PLAUSIBLE = {  # by argument or input field name
    "category": st.sampled_from(["01.01", "02.01"]),
    "placeCode": st.just("330106"),
    "receiverCode": st.sampled_from(["330110", "330100", "330000"]),
    "accusedDivisionCode": st.just("330106"),
    "version": st.just(1),
    "idNumber": st.builds(factories.id_number),
    "phone": st.just("13800000000"),
    "name": st.just("张三"),
    "username": st.just("fuzzed-officer"),
    "password": st.just("a-long-enough-pass-9"),
    "days": st.integers(1, 30),
}


def _wrong(type_) -> st.SearchStrategy:
    """A JSON value of the wrong type for `type_` (coercion must refuse it as a 400)."""
    named = get_named_type(type_)
    wrong = [st.just({"x": 1}), st.just([1, 2])]
    wrong.append(st.just(2**31) if named.name != "Int" else st.just("many"))
    if isinstance(named, GraphQLEnumType):
        wrong.append(st.just("NOT_A_VALUE"))
    if isinstance(type_, GraphQLNonNull):
        wrong.append(st.none())
    return st.one_of(wrong)


def _value(type_, name: str, ids: list[str]) -> st.SearchStrategy:
    """A JSON value for an argument of `type_`: mostly well-typed, sometimes null where allowed."""
    if not isinstance(type_, GraphQLNonNull):
        return st.one_of(st.none(), _value(GraphQLNonNull(type_), name, ids))
    inner = type_.of_type
    if isinstance(inner, GraphQLList):
        return st.lists(_value(inner.of_type, name, ids), max_size=3)
    if isinstance(inner, GraphQLEnumType):
        return st.sampled_from(sorted(inner.values))
    if isinstance(inner, GraphQLInputObjectType):
        fields = {n: _value(f.type, n, ids) for n, f in inner.fields.items()}
        required = {
            n: v for n, v in fields.items() if isinstance(inner.fields[n].type, GraphQLNonNull)
        }
        optional = {n: v for n, v in fields.items() if n not in required}
        return st.fixed_dictionaries(required, optional=optional)
    fuzzed = {
        "String": TEXT,
        "ID": st.one_of(st.sampled_from(ids), TEXT),
        "Int": st.one_of(st.integers(-2, 5), st.integers(-(2**31), 2**31 - 1)),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "Boolean": st.booleans(),
        "Date": st.one_of(st.dates().map(str), TEXT),
        "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+08:00"), TEXT),
        "JSONString": st.one_of(st.just('{"a": 1}'), TEXT),
    }[inner.name]
    return st.one_of(PLAUSIBLE[name], fuzzed) if name in PLAUSIBLE else fuzzed


def _selection(type_) -> str:
    """`__typename`, and one level further for the object fields a payload holds."""
    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        return ""
    nested = [
        f"{n} {{ __typename }}"
        for n, f in named.fields.items()
        if isinstance(get_named_type(f.type), GraphQLObjectType) and not f.args
    ]
    return "{ __typename " + " ".join(nested) + " }"


def _request(operation: str, field: str, ids: list[str]) -> st.SearchStrategy:
    root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    definition = root.fields[field]
    arguments = sorted(definition.args.items())
    signature = ", ".join(f"${n}: {a.type}" for n, a in arguments)
    passed = ", ".join(f"{n}: ${n}" for n, _ in arguments)
    document = (
        f"{operation}{f'({signature})' if signature else ''} "
        f"{{ {field}{f'({passed})' if passed else ''} {_selection(definition.type)} }}"
    )
    values = {n: _value(a.type, n, ids) for n, a in arguments}
    well_typed = st.fixed_dictionaries(values)
    if arguments:  # one request in four: one argument, any of them, of the wrong type
        wrong = {n: _wrong(a.type) for n, a in arguments}
        mistyped = st.sampled_from(sorted(wrong)).flatmap(
            lambda name: st.fixed_dictionaries({**values, name: wrong[name]})
        )
        well_typed = st.one_of(well_typed, well_typed, well_typed, mistyped)
    return well_typed.map(lambda variables: (document, variables))


def _fuzz_variables(client, login, ids, operation, field):
    @_settings(EXAMPLES["variables"])
    @given(request=_request(operation, field, ids))
    def run(request):
        document, variables = request
        json.dumps(variables)  # what a client can send
        _post(client, login, document, variables)

    run()


def test_no_operation_answers_fuzzed_variables_with_an_internal_error(fuzz):
    fuzz(
        [("query", f) for f in QUERY_FIELDS if f not in SKIPPED]
        + [("mutation", f) for f in MUTATION_FIELDS if f not in SKIPPED],
        _fuzz_variables,
    )


def _cases(fields) -> list[tuple]:
    """(field, mode) pairs: the negative mode needs an argument to get wrong."""
    root = SCHEMA.query_type.fields | SCHEMA.mutation_type.fields
    return [
        (field, mode)
        for field in fields
        if field not in SKIPPED
        for mode in (Mode.POSITIVE, Mode.NEGATIVE)
        if mode == Mode.POSITIVE or root[field].args
    ]


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    """Prints what the fuzz did, once the module is through (past pytest's output capture)."""
    yield
    plugins = request.config.pluginmanager
    with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
        plugins.get_plugin("terminalreporter").write_line(
            f"\nGraphQL fuzz: {len(QUERY_FIELDS)} queries, {len(MUTATION_FIELDS)} mutations, "
            f"{FIGURES['requests']} requests in {FIGURES['seconds']:.1f} s"
        )


def _fuzz_documents(operation: str):
    generate = {"query": queries, "mutation": mutations}[operation]

    def run(client, login, ids, field, mode):
        strategy = generate(SCHEMA, fields=[field], custom_scalars=_scalars(ids), mode=mode)
        _fuzz(strategy, EXAMPLES[operation, mode], client, login)

    return run


def test_no_query_answers_a_client_mistake_with_an_internal_error(fuzz):
    fuzz(_cases(QUERY_FIELDS), _fuzz_documents("query"))


def test_no_mutation_answers_a_client_mistake_with_an_internal_error(fuzz):
    fuzz(_cases(MUTATION_FIELDS), _fuzz_documents("mutation"))
