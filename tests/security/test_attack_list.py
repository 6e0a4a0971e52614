"""docs/security.md names, for each attack of issue 14, the test re-running it, which must exist."""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# `test_queries.py::test_name` (in tests/security/ unless a folder is given); "…" ends a prefix.
REFERENCE = re.compile(r"`((?:tests/[\w/]+/)?test_\w+\.py)::(test_\w+)(…)?`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_test_the_security_page_names_exists():
    text = (REPO / "docs" / "security.md").read_text()
    references = REFERENCE.findall(text)
    assert len(references) >= 15
    for file, name, prefix in references:
        path = REPO / (file if file.startswith("tests/") else f"tests/security/{file}")
        tests = _tests_in(path)
        found = any(t.startswith(name) for t in tests) if prefix else name in tests
        assert found, f"docs/security.md names {file}::{name}{prefix}, which does not exist"
