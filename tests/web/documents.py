"""The workbench's own GraphQL documents (web/src/**/*.graphql), so API tests send exactly what
the screens send."""

from functools import cache

from graphql import FragmentSpreadNode, Visitor, parse, print_ast, visit
from tests.web.conftest import WEB


@cache
def _definitions() -> dict:
    found = {}
    for path in sorted((WEB / "src").rglob("*.graphql")):
        for definition in parse(path.read_text()).definitions:
            found[definition.name.value] = definition
    return found


class _Spreads(Visitor):
    def __init__(self):
        super().__init__()
        self.names = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args):
        self.names.add(node.name.value)


def document(name: str) -> str:
    """The operation `name` with every fragment it spreads, transitively."""
    definitions, wanted, todo = _definitions(), [], [name]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.append(current)
            spreads = _Spreads()
            visit(definitions[current], spreads)
            todo.extend(spreads.names)
    return "\n".join(print_ast(definitions[n]) for n in wanted)
