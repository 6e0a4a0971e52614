"""The packages form layers, computed from the source with `ast` (imports inside functions
included): no cycle between apps, no app reaching for another app's `_private` names, the registry
depending on no other domain app, and no service function longer than a screen."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("platform", "tenants", "search", "graphql")
PLATFORM_APPS = {p.name for p in (REPO / "platform").iterdir() if (p / "apps.py").exists()}
MAX_SERVICE_FUNCTION_LINES = 60


def _modules():
    for top in SOURCES:
        for path in sorted((REPO / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(("xinfang", *(p for p in parts if p != "__init__")))


def _is_module(name: str) -> bool:
    """`xinfang.a.b` names a module or package of the repository."""
    parts = name.split(".")[1:]
    base = REPO.joinpath(*parts) if parts else REPO
    return base.with_suffix(".py").exists() or (base.is_dir() and any(base.glob("*.py")))


def app_of(name: str) -> str | None:
    """The app a module belongs to: `platform.<app>` for the platform's apps, `platform.<module>`
    for its wiring modules (settings, errors, pii, …), else the top-level package."""
    parts = name.split(".")
    if parts[0] != "xinfang" or len(parts) < 2:
        return None
    if parts[1] == "platform":
        return f"platform.{parts[2]}" if len(parts) > 2 else "platform"
    return parts[1]


def _imports(tree):
    """(line, imported module, names taken from it) for every import statement, at any depth."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, [], alias.asname or alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                if _is_module(child):
                    yield node.lineno, child, [], alias.asname or alias.name
                else:
                    yield node.lineno, node.module, [alias.name], None


def import_graph() -> dict[tuple[str, str], set[str]]:
    """{(importing app, imported app): {where}} over the whole source."""
    edges: dict[tuple[str, str], set[str]] = {}
    for path, tree in _modules():
        source = app_of(_module_name(path))
        for line, module, _names, _bound in _imports(tree):
            target = app_of(module)
            if target and target != source and target != "platform":
                where = f"{path.relative_to(REPO)}:{line}"
                edges.setdefault((source, target), set()).add(where)
    return edges


def _cycles(edges) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_apps_import_each_other_without_a_cycle():
    edges = import_graph()
    assert ("platform.exchange", "platform.cases") in edges  # the graph sees real imports
    cycles = _cycles(edges)
    detail = [
        f"{' ⇄ '.join(c)}: "
        + "; ".join(
            f"{a}→{b} at {sorted(edges[(a, b)])[0]}" for a in c for b in c if (a, b) in edges
        )
        for c in cycles
    ]
    assert not cycles, "\n".join(detail)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({("a", "b"): set(), ("b", "c"): set(), ("c", "a"): set(), ("c", "d"): set()})
    assert not _cycles({("a", "b"): set(), ("b", "c"): set()})


def test_no_app_imports_another_apps_private_names():
    problems = []
    for path, tree in _modules():
        source = app_of(_module_name(path))
        foreign_modules = {}
        for line, module, names, bound in _imports(tree):
            if app_of(module) in (source, None):
                continue
            problems += [
                f"{path.relative_to(REPO)}:{line}: {module}.{n}" for n in names if n.startswith("_")
            ]
            if bound:
                foreign_modules[bound] = module
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in foreign_modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                module = foreign_modules[node.value.id]
                problems.append(f"{path.relative_to(REPO)}:{node.lineno}: {module}.{node.attr}")
    assert not problems, "\n".join(problems)


def test_the_registry_depends_on_no_other_domain_app():
    domain = {f"platform.{app}" for app in PLATFORM_APPS} | {"search", "graphql"}
    reached = {b for (a, b) in import_graph() if a == "platform.registry"}
    assert "tenants" in reached
    assert not reached & (domain - {"platform.registry"})


def _service_modules():
    for path, tree in _modules():
        relative = path.relative_to(REPO)
        if relative.name == "services.py" or "services" in relative.parts[:-1]:
            yield relative, tree


def test_no_service_function_is_longer_than_a_screen():
    modules = list(_service_modules())
    assert any(p.parts[-2] == "services" for p, _ in modules)  # the exchange package is seen
    too_long = [
        f"{path}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"
        for path, tree in modules
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_SERVICE_FUNCTION_LINES
    ]
    assert not too_long, "\n".join(too_long)


PETITION_NAMES = {"petition", "copy", "original", "locked"}


def test_only_the_workflow_changes_a_petitions_status():
    """`workflow.apply` is the one place that sets `Petition.status` (checked, evented)."""
    problems = []
    for path, tree in _modules():
        if path == REPO / "platform" / "cases" / "workflow.py":
            continue
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if (
                        isinstance(element, ast.Attribute)
                        and element.attr == "status"
                        and isinstance(element.value, ast.Name)
                        and element.value.id in PETITION_NAMES
                    ):
                        problems.append(f"{path.relative_to(REPO)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).startswith("Petition.objects")
                and any(k.arg == "status" for k in node.keywords)
                and ast.unparse(node.func).endswith("update")
            ):
                problems.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not problems, "\n".join(problems)
