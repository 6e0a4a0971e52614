"""管理 in an office with more officers and API tokens than one page holds: the admin pages
through all of them by keyset, forward and back, and finds an officer by name."""

import pytest

from tests.support.graphql import gql
from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import Officer

pytestmark = pytest.mark.django_db

OFFICERS = """query($after: String, $before: String, $first: Int, $last: Int, $search: String) {
  officers(includeDisabled: true, after: $after, before: $before, first: $first, last: $last,
           search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { username fullName } }
  }
}"""
TOKENS = """query($after: String, $first: Int) {
  apiTokens(after: $after, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name } }
  }
}"""


def _walk(client, document, field, **variables):
    """Every page forward from the first: the pages' names, and the total the API reported."""
    pages, after = [], None
    while True:
        body = gql(client, document, after=after, **variables)
        assert "errors" not in body, body
        connection = body["data"][field]
        pages.append([e["node"] for e in connection["edges"]])
        if not connection["pageInfo"]["hasNextPage"]:
            return pages, connection["totalCount"]
        after = connection["pageInfo"]["endCursor"]


def test_an_admin_pages_through_130_officers_forward_and_back(
    officer_client, in_office, django_assert_max_num_queries
):
    client, _ = officer_client("yinzhou", "admin", username="admin-paging")
    with in_office("yinzhou"):
        Officer.objects.bulk_create(
            Officer(username=f"clerk{i:03d}", full_name=f"登记员{i:03d}", roles=["registrar"])
            for i in range(130)
        )
        everyone = sorted(Officer.objects.values_list("username", flat=True))
    with django_assert_max_num_queries(8):  # the session, the officer, the page, its count
        gql(client, OFFICERS, first=50)
    pages, total = _walk(client, OFFICERS, "officers", first=50)
    assert [len(p) for p in pages] == [50, 50, len(everyone) - 100]
    assert [o["username"] for p in pages for o in p] == everyone
    assert total == len(everyone)

    last = gql(client, OFFICERS, last=50)["data"]["officers"]
    assert [e["node"]["username"] for e in last["edges"]] == everyone[-50:]
    back = gql(client, OFFICERS, last=50, before=last["pageInfo"]["startCursor"])
    back = back["data"]["officers"]
    assert [e["node"]["username"] for e in back["edges"]] == everyone[-100:-50]
    assert back["pageInfo"]["hasPreviousPage"] and back["pageInfo"]["hasNextPage"]


def test_an_admin_finds_an_officer_by_username_or_name_among_many(officer_client, in_office):
    client, _ = officer_client("yinzhou", "admin", username="admin-search")
    with in_office("yinzhou"):
        Officer.objects.bulk_create(
            Officer(username=f"clerk{i:03d}", full_name=f"登记员{i:03d}", roles=["registrar"])
            for i in range(120)
        )
        Officer.objects.create(username="zhao", full_name="承办人 赵敏", roles=["handler"])
    by_name = gql(client, OFFICERS, search=" 赵敏 ")["data"]["officers"]
    assert [e["node"]["username"] for e in by_name["edges"]] == ["zhao"]
    by_username = gql(client, OFFICERS, search="CLERK11", first=50)["data"]["officers"]
    assert by_username["totalCount"] == 10
    assert {e["node"]["username"] for e in by_username["edges"]} == {
        f"clerk{i}" for i in range(110, 120)
    }


def test_an_admin_pages_through_110_api_tokens_newest_first(officer_client, in_office):
    client, admin = officer_client("yinzhou", "admin", username="admin-tokens")
    with in_office("yinzhou"):
        for i in range(110):
            services.api_token_create(
                by=admin, officer=admin, name=f"接口{i:03d}", scopes=["admin"]
            )
    pages, total = _walk(client, TOKENS, "apiTokens", first=50)
    names = [t["name"] for p in pages for t in p]
    assert total == 110 and len(set(names)) == 110
    assert names == [f"接口{i:03d}" for i in reversed(range(110))]
