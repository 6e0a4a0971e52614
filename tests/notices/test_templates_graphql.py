"""The office's wording of its notices over GraphQL (`noticeTemplates`, `setNoticeTemplate`):
every kind with its own template or the default and the placeholders it may use, for leaders
and admins only; a saved template words the next notice; a bad placeholder is INVALID_TEMPLATE
naming its field; an empty template goes back to the default."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.notices.conftest import person
from tests.support.graphql import error_code, gql
from xinfang.platform.notices.models import Notice, NoticeKind

pytestmark = pytest.mark.django_db

TEMPLATES = """{ noticeTemplates { kind subject body isDefault placeholders { name meaning }
  updatedAt updatedBy { username } } }"""
SET = """mutation($k: NoticeKind!, $s: String!, $b: String!) {
  setNoticeTemplate(kind: $k, subject: $s, body: $b) { template { kind subject body isDefault
    updatedBy { username } } } }"""


def test_an_admin_reads_every_kind_with_its_default_and_placeholders(officer_client):
    client, _ = officer_client("xihu", "admin")
    with CaptureQueriesContext(connection) as queries:
        body = gql(client, TEMPLATES)
    assert "errors" not in body, body
    kinds = {t["kind"]: t for t in body["data"]["noticeTemplates"]}
    assert list(kinds) == [k.upper() for k in NoticeKind.values]
    registered, opinion = kinds["REGISTERED"], kinds["OPINION"]
    assert registered["isDefault"] and "{query_code}" in registered["body"]
    assert "query_code" in {p["name"] for p in registered["placeholders"]}
    assert "query_code" not in {p["name"] for p in opinion["placeholders"]}
    assert opinion["subject"] == "{title}（{reference}）" and opinion["updatedBy"] is None
    assert len(queries) <= 6, [q["sql"] for q in queries]


def test_a_leader_words_the_opinion_and_the_next_opinion_notice_uses_it(officer_client, in_office):
    client, leader = officer_client("xihu", "leader")
    body = gql(client, SET, k="OPINION", s="答复意见（{reference}）",
               b="{name}同志：\n{text}\n——{office}")  # fmt: skip
    assert "errors" not in body, body
    template = body["data"]["setNoticeTemplate"]["template"]
    assert template == {
        "kind": "OPINION", "subject": "答复意见（{reference}）",
        "body": "{name}同志：\n{text}\n——{office}", "isDefault": False,
        "updatedBy": {"username": leader.username},
    }  # fmt: skip
    listed = {t["kind"]: t for t in gql(client, TEMPLATES)["data"]["noticeTemplates"]}
    assert listed["OPINION"]["isDefault"] is False and listed["ACCEPTED"]["isDefault"] is True
    with in_office("xihu"):
        handler = factories.officer(roles=("handler", "registrar", "leader"))
        petition = factories.petition(officer=handler, petitioners=[person()]).petition
        from xinfang.platform.cases import services

        petition = services.petition_route(petition=petition, officer=handler)
        petition = services.petition_accept(petition=petition, officer=handler)
        petition = services.petition_assign(petition=petition, officer=handler, handler=handler)
        services.petition_reply(petition=petition, officer=handler, opinion="已依法处理。")
        notice = Notice.objects.get(petition=petition, kind="opinion")
    assert notice.subject == f"答复意见（{petition.reference}）"
    assert notice.body.startswith("李四同志：\n") and notice.body.endswith("——杭州市西湖区信访局")


def test_a_bad_placeholder_is_refused_naming_its_field(officer_client):
    client, _ = officer_client("xihu", "admin")
    body = gql(client, SET, k="ACCEPTED", s="{title}", b="身份证：{id_number}")
    assert error_code(body) == "INVALID_TEMPLATE"
    assert body["errors"][0]["extensions"]["field"] == "body"
    code_outside = gql(client, SET, k="ACCEPTED", s="{title}", b="查询码 {query_code}")
    assert error_code(code_outside) == "INVALID_TEMPLATE"


def test_an_empty_template_goes_back_to_the_default(officer_client):
    client, _ = officer_client("xihu", "admin")
    gql(client, SET, k="EXTENDED", s="延期（{reference}）", b="{text}")
    body = gql(client, SET, k="EXTENDED", s="", b="")
    template = body["data"]["setNoticeTemplate"]["template"]
    assert template["isDefault"] is True and template["subject"] == "{title}（{reference}）"


def test_other_officers_neither_read_nor_change_them(officer_client, client_for):
    client, _ = officer_client("xihu", "registrar")
    assert error_code(gql(client, TEMPLATES)) == "PERMISSION_DENIED"
    assert error_code(gql(client, SET, k="OPINION", s="x", b="{text}")) == "PERMISSION_DENIED"
    assert error_code(gql(client_for("xihu"), TEMPLATES)) == "NOT_AUTHENTICATED"
