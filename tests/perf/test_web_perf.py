"""The workbench's petitions list in an office of 100,000 petitions, in Chromium against the real
server: the time from navigation to the first page's rows on screen (reported, not asserted).

Reuses the cases benchmark's office (淳安县, 100,000 petitions written with COPY) and the browser
tests' server and scripts (tests/web). `make perf`, or
`.venv/bin/pytest tests/perf/test_web_perf.py -s --override-ini addopts=` after `make web`.
"""

import os

import pytest
from django_tenants.utils import tenant_context

from tests import factories
from tests.perf.test_cases_perf import SPEC, big_office  # noqa: F401 (a fixture)
from tests.web.conftest import (  # noqa: F401 (fixtures)
    browser_data,
    collective_action,
    crowded_office,
    login_throttle,
    mailbox,
    run_script,
    search_index_ready,
    web_build,
    web_server,
)


@pytest.mark.usefixtures("big_office")
def test_the_petitions_list_first_page_with_100000_petitions(request, offices):
    from xinfang.tenants.models import Office

    with tenant_context(Office.objects.get(code=SPEC.code)):
        factories.officer(username="perf-leader", roles=("leader",), password="perf-pass-123")
    run = request.getfixturevalue("run_script")
    result = run(
        "perf/list-first-page.mjs",
        XINFANG_E2E_HOST_PERF=SPEC.host,
        XINFANG_PERF_USER="perf-leader",
        XINFANG_PERF_PASSWORD="perf-pass-123",
        XINFANG_PERF_RUNS=os.environ.get("XINFANG_WEB_PERF_RUNS", "7"),
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
