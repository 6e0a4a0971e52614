"""A petitioner who wrote by post gets a printed letter: officers download a PDF with the
office's name, the document's title, the reference and the text in a Chinese font, and record
that they posted it."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.cases.support import petition_at
from tests.notices.conftest import person
from tests.support.graphql import error_code, gid, gql
from xinfang.platform.notices.models import Notice

pytestmark = pytest.mark.django_db

NOTICES = """query($id: ID!) { petition(id: $id) { notices { edges { node {
  id kind channel status letterUrl sentAt } } } } }"""
POSTED = """mutation($id: ID!) { markNoticePosted(noticeId: $id) { notice { status sentAt } } }"""


@pytest.fixture
def letter_petition(staff, in_office):
    with in_office("xihu"):
        return petition_at(
            "accepted", officers=staff, channel="letter",
            petitioners=[person(name="王五", email="", address="杭州市西湖区文三路1号")],
        )  # fmt: skip


def test_an_officer_downloads_the_letter_as_a_pdf_with_its_chinese_text(
    officer_client, letter_petition
):
    client, _ = officer_client("xihu", "registrar")
    body = gql(client, NOTICES, id=gid("Petition", "330106", letter_petition.pk))
    nodes = [e["node"] for e in body["data"]["petition"]["notices"]["edges"]]
    accepted = next(n for n in nodes if n["kind"] == "ACCEPTED")
    assert (accepted["channel"], accepted["status"]) == ("LETTER", "TO_PRINT")
    response = client.get(accepted["letterUrl"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    pdf = PdfReader(BytesIO(response.content))
    text = "".join(page.extract_text() for page in pdf.pages).replace(" ", "")
    for expected in ("杭州市西湖区信访局", "受理告知书", letter_petition.reference, "王五",
                     "您的信访事项已受理", "杭州市西湖区文三路1号"):  # fmt: skip
        assert expected in text, (expected, text)
    # The page's text fonts are subsets of the CJK face, embedded (reportlab also names its
    # canvas's initial Helvetica, which draws nothing).
    fonts = [f.get_object() for f in pdf.pages[0]["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if f["/BaseFont"] != "/Helvetica"]
    assert cjk and all("WenQuanYi" in f["/BaseFont"] for f in cjk), fonts
    assert all("/FontFile2" in f["/FontDescriptor"] and "/ToUnicode" in f for f in cjk)


def test_the_letter_is_for_the_office_s_officers_only(client_for, letter_petition, in_office):
    with in_office("xihu"):
        notice = Notice.objects.filter(petition=letter_petition).first()
    assert client_for("xihu").get(f"/notices/{notice.pk}/letter.pdf").status_code == 403


def test_a_posted_letter_is_recorded_sent_once(officer_client, letter_petition, in_office):
    client, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        notice = Notice.objects.get(petition=letter_petition, kind="accepted")
    first = gql(client, POSTED, id=gid("Notice", "330106", notice.pk))
    assert first["data"]["markNoticePosted"]["notice"]["status"] == "SENT"
    again = gql(client, POSTED, id=gid("Notice", "330106", notice.pk))
    assert (
        again["data"]["markNoticePosted"]["notice"]["sentAt"]
        == (first["data"]["markNoticePosted"]["notice"]["sentAt"])
    )


def test_only_a_letter_is_marked_posted(officer_client, staff, smtp, in_office):
    client, _ = officer_client("xihu", "registrar")
    with in_office("xihu"):
        petition = petition_at("registered", officers=staff, petitioners=[person()])
        notice = Notice.objects.get(petition=petition)
    body = gql(client, POSTED, id=gid("Notice", "330106", notice.pk))
    assert error_code(body) == "NOT_A_LETTER"
