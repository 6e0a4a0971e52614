"""Every script in web/e2e/ is one test: a person's path through the workbench in Chromium."""

import pytest

from tests.web.conftest import WEB

SCRIPTS = sorted(p.name for p in (WEB / "e2e").glob("*.spec.mjs"))


def test_there_are_browser_scripts():
    assert "login.spec.mjs" in SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_browser_script(run_script, script):
    result = run_script(script)
    print(result.stdout)
    if result.returncode != 0:
        pytest.fail(f"{script} failed:\n{result.stdout}\n{result.stderr}", False)
