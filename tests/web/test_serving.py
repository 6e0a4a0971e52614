"""Django serves the workbench on every office host: index.html for its routes, with the CSRF
cookie; the hashed assets from WhiteNoise, cached for good; nothing on unknown hosts."""

import re

import pytest

from tests.web.conftest import WEB

pytestmark = pytest.mark.django_db


def built_asset() -> str:
    html = (WEB / "dist" / "index.html").read_text()
    return re.search(r'src="(/static/web/assets/[^"]+\.js)"', html).group(1)


@pytest.mark.parametrize("path", ["/", "/login", "/petitions/UGV0aXRpb246MQ==", "/handoffs/inbox"])
def test_every_route_of_the_workbench_is_its_index_page(web_build, client_for, path):
    response = client_for("xihu").get(path)
    assert response.status_code == 200
    assert b'<div id="root"></div>' in response.content
    assert response["Cache-Control"] == "no-cache"
    assert "csrftoken" in response.cookies  # the GraphQL client sends it back as X-CSRFToken


def test_the_hashed_assets_are_static_files_cached_for_good(web_build, client_for):
    response = client_for("hangzhou").get(built_asset())
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/favicon.ico", "/static/web/assets/nothing-12345678.js"])
def test_files_that_do_not_exist_are_404_not_the_index(web_build, client_for, path):
    assert client_for("xihu").get(path).status_code == 404


def test_graphql_and_admin_are_not_taken_by_the_workbench(web_build, client_for):
    assert client_for("xihu").get("/graphql/", HTTP_ACCEPT="text/html").status_code == 200
    assert client_for("xihu").get("/admin/login/").status_code == 200


def test_an_unbuilt_workbench_says_how_to_build_it(client_for, settings, tmp_path):
    settings.WEB_BUILD_DIR = tmp_path
    response = client_for("xihu").get("/")
    assert response.status_code == 503
    assert b"make web" in response.content
