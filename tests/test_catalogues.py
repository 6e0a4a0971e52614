"""One catalogue of error codes (`ErrorCode`) and one of event kinds (`EventKind`), kept so by
walking the source: a code or a kind written as a string anywhere fails here."""

import ast
import re
from pathlib import Path

from xinfang.platform.cases.models import DocumentKind, EventKind
from xinfang.platform.cases.workflow import Transition
from xinfang.platform.errors import ErrorCode

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("platform", "tenants", "search", "graphql")
CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9_]+$")


def _modules():
    for top in SOURCES:
        for path in sorted((REPO / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(REPO), ast.parse(path.read_text(), filename=str(path))


def _member(node, enum_name: str) -> str | None:
    """`X` when `node` is `<enum_name>.X`."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == enum_name
    ):
        return node.attr
    return None


def _literal(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _code_values(tree):
    """(line, value node) of every place a code is given: `code=` arguments, `code = ...` class
    attributes and `{"code": ...}` entries (the GraphQL error extensions)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "code":
                    yield node.lineno, keyword.value
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                targets = statement.targets if isinstance(statement, ast.Assign) else []
                if isinstance(statement, ast.AnnAssign) and statement.value is not None:
                    targets = [statement.target]
                if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                    yield statement.lineno, statement.value
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code":
                    yield node.lineno, value


def test_every_error_code_raised_is_a_member_of_the_catalogue():
    problems = []
    for path, tree in _modules():
        for line, value in _code_values(tree):
            if _literal(value) and (
                isinstance(value, ast.JoinedStr) or CODE_LIKE.match(value.value)
            ):
                problems.append(f"{path}:{line}: a code written as a string")
        for node in ast.walk(tree):
            name = _member(node, "ErrorCode")
            if name is not None and name not in ErrorCode.__members__:
                problems.append(f"{path}:{node.lineno}: ErrorCode.{name} is not in the catalogue")
    assert not problems, "\n".join(problems)


def _service_error_classes(modules) -> dict[str, tuple]:
    """{class name: (path, class node)} of `ServiceError` and every class deriving from it."""
    classes = {
        node.name: (path, node)
        for path, tree in modules
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    errors = {"ServiceError"}
    grown = True
    while grown:
        grown = False
        for name, (_, node) in classes.items():
            bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
            if name not in errors and bases & errors:
                errors.add(name)
                grown = True
    return {name: classes[name] for name in errors}


def test_every_service_error_class_names_its_code_from_the_catalogue():
    errors = _service_error_classes(list(_modules()))
    assert {"ServiceError", "WorkflowError", "NotVisible", "SearchUnavailable"} <= set(errors)
    problems = []
    for name, (path, node) in errors.items():
        for statement in node.body:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            if isinstance(statement, ast.AnnAssign):
                targets = [statement.target]
            if any(isinstance(t, ast.Name) and t.id == "code" for t in targets) and (
                _member(statement.value, "ErrorCode") is None
            ):
                problems.append(f"{path}:{statement.lineno}: {name}.code is not an ErrorCode")
    assert not problems, "\n".join(problems)


def test_every_error_code_has_a_description_in_english_and_chinese():
    for code in ErrorCode:
        assert code.value == code.name
        assert code.english.strip() and code.english[0].islower(), code
        assert re.search(r"[\u4e00-\u9fff]", code.chinese), code
        assert code.description == f"{code.english} ({code.chinese})"


def _kind_parameters(trees) -> dict[str, int]:
    """Functions taking an `EventKind` parameter: {name: its position}."""
    found = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for position, arg in enumerate(node.args.args):
                    if isinstance(arg.annotation, ast.Name) and arg.annotation.id == "EventKind":
                        found[node.name] = position
    return found


def _callee(call: ast.Call) -> str:
    return ast.unparse(call.func)


def test_no_event_kind_is_written_as_a_string():
    modules = list(_modules())
    helpers = _kind_parameters(tree for _, tree in modules)
    assert helpers, "the event helpers take an EventKind (the check below relies on it)"
    problems = []
    for path, tree in modules:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = _callee(node)
            short = callee.rsplit(".", 1)[-1]
            kinds = [k.value for k in node.keywords if k.arg == "kind"]
            if short in helpers and len(node.args) > helpers[short]:
                kinds.append(node.args[helpers[short]])
            creates_event = "PetitionEvent" in callee or short in helpers
            for kind in kinds:
                if isinstance(kind, ast.JoinedStr) or (creates_event and _literal(kind)):
                    problems.append(f"{path}:{node.lineno}: {callee}(kind={ast.unparse(kind)})")
            for sub in ast.walk(node):
                name = _member(sub, "EventKind")
                if name is not None and name not in EventKind.__members__:
                    problems.append(f"{path}:{sub.lineno}: EventKind.{name} is not a kind")
    assert not problems, "\n".join(problems)


def test_every_workflow_transition_writes_a_catalogued_kind():
    assert {t.value for t in Transition} <= set(EventKind.values)


def _document_kinds(tree):
    """(line, kind node) of every document written: `document(kind, …)` / `_document(kind, …)`
    calls and `"document": {"kind": …}` literals."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node).rsplit(".", 1)[-1] in {
            "document",
            "_document",
        }:
            kinds = node.args[:1] + [k.value for k in node.keywords if k.arg == "kind"]
            yield from ((node.lineno, kind) for kind in kinds)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if not (
                    isinstance(key, ast.Constant)
                    and key.value == "document"
                    and isinstance(value, ast.Dict)
                ):
                    continue
                for inner, kind in zip(value.keys, value.values, strict=True):
                    if isinstance(inner, ast.Constant) and inner.value == "kind":
                        yield node.lineno, kind


def test_no_document_kind_is_written_as_a_string():
    """Every document issued to a petitioner names a `DocumentKind`, so the notices know them all
    (tests/notices/test_recording.py maps each to its notice kind)."""
    written, problems = 0, []
    for path, tree in _modules():
        for line, kind in _document_kinds(tree):
            written += 1
            if _literal(kind):
                problems.append(f"{path}:{line}: a document kind written as a string")
        for node in ast.walk(tree):
            name = _member(node, "DocumentKind")
            if name is not None and name not in DocumentKind.__members__:
                problems.append(f"{path}:{node.lineno}: DocumentKind.{name} is not a kind")
    assert written >= 12, "the walk sees the documents the services write"
    assert not problems, "\n".join(problems)
