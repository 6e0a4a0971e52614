"""The domain modules' root fields are joined into one schema; none may silently hide another."""

from collections import Counter

import pytest

from xinfang.graphql.schema import Mutation, Query


@pytest.mark.parametrize("root", [Query, Mutation])
def test_no_domain_module_shadows_another_modules_root_field(root):
    names = Counter(
        name
        for base in root.__mro__[1:]
        if hasattr(base, "_meta") and base.__module__.startswith("xinfang.graphql.")
        for name in base._meta.fields
    )
    assert [name for name, count in names.items() if count > 1] == []
