"""The two-level petition category taxonomy (e.g. 01 城乡建设 / 01.01 征地拆迁), shipped as data.

Its first two levels follow the national classification of petition content (信访事项内容分类):
22 first-level areas and their second-level items (养老保险 02.05, 商品房 01.06 …). Codes are
stable: new items are appended, never renumbered, so stored petitions keep their category.
"""

import json
from functools import cache
from importlib.resources import files

from xinfang.platform.errors import ErrorCode, ValidationError


@cache
def categories() -> list[dict]:
    return json.loads(
        files("xinfang.platform.cases").joinpath("data/categories.json").read_text("utf-8")
    )


@cache
def names() -> dict[str, str]:
    """Every second-level code with its full name, e.g. '01.01' -> '城乡建设/征地拆迁'."""
    return {
        child["code"]: f"{top['name']}/{child['name']}"
        for top in categories()
        for child in top["children"]
    }


def validate_category(code: str) -> str:
    if code not in names():
        raise ValidationError(
            f"unknown category '{code}' (use a second-level code such as 01.01)",
            code=ErrorCode.INVALID_CATEGORY,
            field="category",
        )
    return code
