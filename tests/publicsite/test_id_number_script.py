"""The page's ID-number check as typed (site.js) agrees with the service's (idnumbers.py)."""

import json
import subprocess

import pytest

from tests import factories
from tests.conftest import REPO
from xinfang.platform.cases.idnumbers import validate_id_number
from xinfang.platform.errors import ValidationError

SCRIPT = REPO / "platform" / "publicsite" / "static" / "publicsite" / "site.js"


def _valid_in_python(number: str) -> bool:
    try:
        validate_id_number(number)
        return True
    except ValidationError:
        return False


def test_the_script_and_the_service_agree_on_every_number():
    valid = [factories.id_number(birth=b) for b in ("19800101", "20000229", "19991231")]
    numbers = valid + [
        n[:17] + ("0" if n[17] != "0" else "1") for n in valid  # a wrong check character
    ] + ["330106198002300011", "11010519491231002X", "11010519491231002x", "33010619800101001",
         "3301061980010100111", "33010619800101001A", "", "33010 619800101 0019"]  # fmt: skip
    runner = (
        "global.window={};global.document={addEventListener(){}};"
        f"require({json.dumps(str(SCRIPT))});"
        f"console.log(JSON.stringify({json.dumps(numbers)}.map(n=>window.xinfangIdNumberProblem(n))))"
    )
    result = subprocess.run(["node", "-e", runner], capture_output=True, text=True, check=True)
    problems = json.loads(result.stdout)
    for number, problem in zip(numbers, problems, strict=True):
        if number:
            assert (problem == "") == _valid_in_python(number), (number, problem)
    assert all("身份证" in p for p, n in zip(problems, numbers, strict=True) if p and n)


@pytest.mark.parametrize("number", ["", "   "])
def test_an_empty_number_is_left_to_the_required_check(number):
    runner = (
        "global.window={};global.document={addEventListener(){}};"
        f"require({json.dumps(str(SCRIPT))});console.log(window.xinfangIdNumberProblem({json.dumps(number)}))"
    )
    out = subprocess.run(["node", "-e", runner], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
