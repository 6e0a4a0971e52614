"""Every string a request carries, refused before anything runs when it holds a control character.

Literals in the document are checked once per document (a validation rule, cached with it);
variables on every request. Either way the error is `INVALID_CHARACTERS` naming the argument (or
the variable), never the `INTERNAL_ERROR` PostgreSQL's refusal of a NUL byte would become.
Lengths are the models' (platform/validation.py): a save past a field's `max_length` is
`TOO_LONG`.
"""

from graphql import (
    ArgumentNode,
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    ValidationRule,
)
from xinfang.platform.errors import ServiceError
from xinfang.platform.validation import check_strings


def _error(error: ServiceError, node=None) -> GraphQLError:
    return GraphQLError(error.message, node, original_error=error)


class ForbiddenCharacters(ValidationRule):
    """A string literal with a control character, named by its argument or input field."""

    def enter_string_value(self, node: StringValueNode, _key, parent, _path, ancestors):
        owner = next(
            (
                a
                for a in reversed([*ancestors, parent])
                if isinstance(a, ArgumentNode | ObjectFieldNode)
            ),
            None,
        )
        try:
            check_strings(node.value, field=owner.name.value if owner else "query")
        except ServiceError as error:
            self.report_error(_error(error, node))


def variable_errors(variables: dict | None) -> list[GraphQLError]:
    """The first variable holding a control character, as an error naming it."""
    for name, value in (variables or {}).items():
        try:
            check_strings(value, field=name)
        except ServiceError as error:
            return [_error(error)]
    return []
