"""The public site's pages through Django's test client on an office host: forms as a browser
posts them, files in a temporary storage."""

import html
import re

import pytest

from tests import factories

# Small valid files of each accepted kind (their first bytes are what counts).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments go to a fresh directory; the time-trap is off unless a test sets it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XINFANG_PUBLIC_FORM_MIN_SECONDS = 0


@pytest.fixture
def xihu_staff(offices, in_office):
    with in_office("xihu"):
        return {
            "registrar": factories.officer(roles=("registrar",)),
            "leader": factories.officer(roles=("leader",)),
            "handler": factories.officer(roles=("handler",)),
            "admin": factories.officer(roles=("admin",)),
        }


@pytest.fixture
def hangzhou_staff(offices, in_office):
    """The city office a petition is transferred to."""
    with in_office("hangzhou"):
        return {
            role: factories.officer(roles=(role,)) for role in ("registrar", "leader", "handler")
        }


def form_token_of(page: str) -> str:
    return html.unescape(re.search(r'name="form_token" value="([^"]+)"', page).group(1))


def filing(client, **overrides) -> dict:
    """The filing form's fields as a person fills them in, after loading the form (its token)."""
    page = client.get("/public/file").content.decode()
    data = {
        "form_token": form_token_of(page),
        "name": "王小明",
        "id_number": factories.id_number(),
        "phone": "13912345678",
        "address": "杭州市西湖区文三路1号",
        "category": "01.01",
        "place_code": "330106",
        "place": "西湖区转塘街道某村",
        "accused_body": "某街道办事处",
        "content": "村里征地拆迁补偿款至今没有发放到位，多次反映无果。",
        "request": "请按标准足额发放补偿款。",
        "consent": "on",
        "homepage": "",
        "co-TOTAL_FORMS": "4",
        "co-INITIAL_FORMS": "0",
        "co-MIN_NUM_FORMS": "0",
        "co-MAX_NUM_FORMS": "4",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_error(page: str, field_id: str) -> str:
    """The message shown next to a control (its `<id>_error` line), or ''."""
    match = re.search(rf'<p class="error" id="{field_id}_error" role="alert"( hidden)?>(.*?)</p>',
                      page, re.S)  # fmt: skip
    assert match, f"no error line for {field_id}"
    return "" if match.group(1) else html.unescape(match.group(2)).strip()


def value_of(page: str, field_id: str) -> str:
    """What a text control shows (input value or textarea text)."""
    tag = re.search(rf'<(input|textarea)[^>]*id="{field_id}"[^>]*>', page)
    assert tag, f"no control {field_id}"
    if tag.group(1) == "textarea":
        body = re.search(rf'id="{field_id}"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        return html.unescape(body).strip()
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


@pytest.fixture
def admin_site_client(offices, in_office, client_for):
    """`admin_site_client("xihu", "admin")`: logged in, allowed into the office's admin site."""

    def make(name: str, *roles: str):
        with in_office(name):
            officer = factories.officer(roles=roles)
            officer.is_staff = True
            officer.save(update_fields=["is_staff"])
            client = client_for(name)
            client.force_login(officer)
        return client

    return make
