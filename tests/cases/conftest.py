"""Helpers for petition tests: GraphQL calls, officers per role, petitions in a given state."""

import pytest
from graphql_relay import to_global_id

from tests import factories


def gql(client, query, **variables):
    """POST a GraphQL document; returns the JSON body (a 200 with `data` and/or `errors`, or a
    400 with `errors` when the document fails validation)."""
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200 or (response.status_code == 400 and body.get("errors"))
    return body


def error_code(body) -> str:
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


def gid(type_name: str, office_code: str, pk) -> str:
    return to_global_id(type_name, f"{office_code}:{pk}")


@pytest.fixture
def staff(offices, in_office):
    """Officers of Xihu by role: registrar, leader, handler, supervisor, and a second handler."""
    with in_office("xihu"):
        return {
            "registrar": factories.officer(roles=("registrar",)),
            "leader": factories.officer(roles=("leader",)),
            "handler": factories.officer(roles=("handler",)),
            "handler2": factories.officer(roles=("handler",)),
            "supervisor": factories.officer(roles=("supervisor",)),
        }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Officers are created in most tests; the production hasher costs ~0.4 s per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
