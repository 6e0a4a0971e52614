"""Calling an office's GraphQL endpoint from tests."""

from graphql_relay import from_global_id, to_global_id


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
    """The global ID of an office's object (they carry the office code: see graphql/nodes.py)."""
    return to_global_id(type_name, f"{office_code}:{pk}")


def pk_of(global_id: str) -> str:
    """The primary key inside a global ID (`Handoff:330106:<uuid>` → `<uuid>`)."""
    return from_global_id(global_id)[1].partition(":")[2]
