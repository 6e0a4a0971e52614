"""Attacks on the GraphQL endpoint with its documents: typos, huge queries, probing the schema.

Each test re-runs one finding of issue 14 and checks it is refused with a typed error, never a 500.
"""

import pytest

from tests.support.graphql import error_code, gql

pytestmark = pytest.mark.django_db

# The query of the issue: a hundred petitions with timeline, reply and evaluation.
PETITION_PAGE = """
  petitions(first: 100) {
    edges { node {
      timeline { edges { node { kind } } } reply { opinion } evaluation { satisfaction }
    } }
  }
"""


@pytest.mark.parametrize(
    "query",
    [
        "query { ...A } fragment A on Query { ...A }",  # circular
        "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "query { ...Missing }",  # undefined
        "query { petitions { edges { node { ...N } } } } fragment N on Petition { ...N }",
    ],
)
def test_an_anonymous_get_with_a_broken_fragment_is_a_400_without_settings(client_for, query):
    response = client_for("xihu").get("/graphql/", {"query": query}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert error_code(response.json()) == "GRAPHQL_VALIDATION_FAILED"
    assert b"DATABASE" not in response.content and b"Traceback" not in response.content


def test_forty_aliases_of_a_hundred_petitions_are_refused_with_their_cost(officer_client):
    client, _ = officer_client("xihu", "leader")
    # (fifty would pass the 500-field limit first: the timeline is a connection)
    aliases = " ".join(f"a{i}: {PETITION_PAGE}" for i in range(40))
    body = gql(client, f"{{ {aliases} }}")
    assert error_code(body) == "QUERY_TOO_COSTLY"
    extensions = body["errors"][0]["extensions"]
    assert extensions["cost"] > extensions["maxCost"] == 20000
    assert "data" not in body  # refused before anything ran


def test_one_page_of_a_hundred_petitions_with_their_timelines_is_within_budget(officer_client):
    client, _ = officer_client("xihu", "leader")
    body = gql(client, f"{{ {PETITION_PAGE} }}")
    assert "errors" not in body, body


def test_the_cost_counts_page_sizes_given_as_variables(officer_client):
    client, _ = officer_client("xihu", "leader")
    query = "query($n: Int) { " + " ".join(
        f"a{i}: petitions(first: $n) {{ edges {{ node {{ timeline {{ edges {{ node {{ kind }} }} }}"
        f" }} }} }}"
        for i in range(40)
    ) + " }"  # fmt: skip
    assert "errors" not in gql(client, query, n=2)
    assert error_code(gql(client, query, n=100)) == "QUERY_TOO_COSTLY"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query($n: Int) { petitions(first: $n) { totalCount } }", {"n": 2**31}),
        ("query($n: Int) { petitions(first: $n) { totalCount } }", {"n": "many"}),
        ("query($o: PetitionOrdering) { petitions(orderBy: $o) { totalCount } }", {"o": "NOPE"}),
        ("query($r: String!) { petitionByReference(reference: $r) { id } }", {"r": None}),
        ("query($r: String!) { petitionByReference(reference: $r) { id } }", {"r": ["a"]}),
        ("{ petitions(first: 99999999999) { totalCount } }", {}),
    ],
)
def test_a_variable_of_the_wrong_type_or_enum_is_a_validation_error(
    officer_client, query, variables
):
    client, _ = officer_client("xihu", "leader")
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 400
    assert error_code(response.json()) == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    "body",
    [
        {"query": 5},
        {"query": "{ me { username } }", "variables": [1]},
        {"query": "{ me { username } }", "operationName": 3},
        {"query": "query A { me { username } } query B { me { username } }"},
    ],
)
def test_a_malformed_request_is_a_400(client_for, body):
    response = client_for("xihu").post("/graphql/", body, content_type="application/json")
    assert response.status_code == 400
    assert error_code(response.json()) == "BAD_REQUEST"


def test_introspection_and_suggestions_are_off_in_production(client_for, settings):
    settings.GRAPHQL_INTROSPECTION = settings.GRAPHQL_SUGGESTIONS = False  # DEBUG off: the default
    client = client_for("xihu")
    body = gql(client, "{ __schema { queryType { name } } }")
    assert error_code(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection is disabled" in body["errors"][0]["message"]
    typo = gql(client, "{ petitoins { totalCount } }")
    assert "Did you mean" not in typo["errors"][0]["message"]
    assert gql(client, "{ __typename }")["data"] == {"__typename": "Query"}  # Apollo sends it


def test_introspection_when_enabled_needs_no_csrf_token_without_a_session(client_for, settings):
    settings.GRAPHQL_INTROSPECTION = True
    integrator = client_for("xihu", enforce_csrf_checks=True)
    response = integrator.post(
        "/graphql/",
        {"query": "{ __schema { queryType { name } } }"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_a_progress_lookup_by_get_is_refused_so_the_code_never_sits_in_a_url(client_for):
    for query in [
        '{ petitionProgress(reference: "330106-2026-000001", queryCode: "ABC") { status } }',
        '{ ...F } fragment F on Query { petitionProgress(reference: "x", queryCode: "y") { status } }',  # noqa: E501
    ]:
        response = client_for("xihu").get(
            "/graphql/", {"query": query}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 405
        assert error_code(response.json()) == "METHOD_NOT_ALLOWED"


def test_a_mutation_by_get_is_refused(client_for):
    response = client_for("xihu").get(
        "/graphql/", {"query": "mutation { logout { ok } }"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 405


def test_person_key_is_never_returned(officer_client):
    """With the masked ID number, a person_key gives the whole number back in a fraction of a
    second (one HMAC per birth date): the API has no field that returns it."""
    from xinfang.graphql.schema import schema

    assert "personKey" not in str(schema)
    client, _ = officer_client("xihu", "leader")
    body = gql(client, "{ petitions(first: 1) { edges { node { petitioners { personKey } } } } }")
    assert error_code(body) == "GRAPHQL_VALIDATION_FAILED"


class _Clock:
    """Time for the budget (platform/budgets.py), moved by the test instead of waited for."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_an_office_past_its_cost_budget_is_refused_and_the_other_offices_go_on(
    officer_client, client_for, settings, monkeypatch
):
    from graphql import parse
    from xinfang.graphql import limits
    from xinfang.graphql.schema import schema
    from xinfang.platform import budgets

    query = "{ petitions(first: 10) { totalCount edges { node { id reference } } } }"
    cost, _ = limits.query_cost(schema.graphql_schema, {}, parse(query).definitions[0], {},
                                limits.Limits.from_settings())  # fmt: skip
    start = 600 * 1_000_000 + 59.9  # the last tenth of a second of a clock minute
    clock = _Clock(start)
    monkeypatch.setattr(budgets, "time", clock)
    settings.GRAPHQL_OFFICE_COST_BUDGET = 3 * cost
    xihu, _ = officer_client("xihu", "leader")
    integration, _ = officer_client("xihu", "registrar")  # the same office's other client
    for client in (xihu, xihu, integration):
        assert "errors" not in gql(client, query)
    # The next clock minute: a fixed window would start afresh and let a burst spend the
    # budget twice within a second; the last 60 seconds still hold all three.
    clock.now = start + 0.2
    refused = gql(integration, query)
    assert error_code(refused) == "COST_BUDGET_EXHAUSTED"
    assert refused["errors"][0]["extensions"] == {
        "code": "COST_BUDGET_EXHAUSTED",
        "cost": cost,
        "budget": 3 * cost,
        "retryAfter": 60,  # 59.8 s until the first charge leaves the window
    }
    yuhang, _ = officer_client("yuhang", "leader")
    assert "errors" not in gql(yuhang, query)  # another office's budget is its own
    anonymous = gql(client_for("xihu"), "{ __typename }")
    assert anonymous["data"] == {"__typename": "Query"}  # anonymous requests are not charged
    clock.now = start + 59.5
    assert gql(xihu, query)["errors"][0]["extensions"]["retryAfter"] == 1
    clock.now = start + 60  # the first three charges have left the window
    for client in (xihu, integration, xihu):
        assert "errors" not in gql(client, query)
    assert error_code(gql(xihu, query)) == "COST_BUDGET_EXHAUSTED"


def test_the_cost_budget_holds_in_any_window_and_under_concurrent_charges():
    """The budget's own edges, against the real Redis: spread charges pass as the oldest leave
    the window; forty concurrent charges of a budget of ten let exactly ten through."""
    import threading

    from xinfang.platform import budgets

    budget = budgets.SlidingBudget("edge-test", budget=10, window=60)
    assert budget.charge("o", 11).retry_after == 60  # never passes: a whole window
    start = threading.Barrier(40)
    outcomes = []

    def charge():
        start.wait()
        outcomes.append(budget.charge("o", 1))

    threads = [threading.Thread(target=charge) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(None) == 10
    assert all(0 < refused.retry_after <= 60 for refused in outcomes if refused)


def test_a_charge_whose_clock_is_behind_the_newest_waits_at_most_the_window(monkeypatch):
    """Concurrent requests read their clocks a moment apart and reach Redis in any order: one
    that arrives after a later-read charge must not be told to wait longer than the window."""
    from xinfang.platform import budgets

    clock = _Clock(1_000.5)
    monkeypatch.setattr(budgets, "time", clock)
    budget = budgets.SlidingBudget("clock-behind", budget=10, window=60)
    for _ in range(10):
        assert budget.charge("o", 1) is None
    clock.now = 1_000.0  # read before those, run after them
    assert budget.charge("o", 1) == budgets.Refused(retry_after=60)


def test_every_document_the_web_client_sends_is_within_the_cost_limit(settings):
    """The workbench's documents (web/src/**/*.graphql) with every Int variable at the page-size
    limit: the cost limit must never refuse a screen."""
    from pathlib import Path

    from graphql import (
        OperationDefinitionNode,
        get_named_type,
        parse,
        type_from_ast,
        validate,
    )
    from xinfang.graphql import limits
    from xinfang.graphql.schema import schema

    sources = sorted((Path(__file__).resolve().parents[2] / "web" / "src").rglob("*.graphql"))
    assert sources, "the web client's documents moved"
    document = parse("\n".join(p.read_text() for p in sources))
    assert validate(schema.graphql_schema, document) == []
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        variables = {
            v.variable.name.value: settings.GRAPHQL_MAX_PAGE_SIZE
            for v in operation.variable_definitions
            if get_named_type(type_from_ast(schema.graphql_schema, v.type)).name == "Int"
        }
        cost, errors = limits.query_cost(schema.graphql_schema, fragments, operation, variables,
                                         limits.Limits.from_settings())  # fmt: skip
        assert not errors and cost <= settings.GRAPHQL_MAX_COST, (operation.name.value, cost)


def test_a_cross_origin_preflight_passes_for_configured_origins_only(client_for, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://tools.example.gov.cn"]

    def preflight(origin):
        return client_for("xihu").options(
            "/graphql/",
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, authorization",
        )

    allowed = preflight("https://tools.example.gov.cn")
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == "https://tools.example.gov.cn"
    assert "authorization" in allowed["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example.com")
