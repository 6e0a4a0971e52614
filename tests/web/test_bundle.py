"""The first load of the workbench stays small: the entry chunk and what it imports statically
(every screen is a chunk of its own, loaded when its route is), gzip-compressed, at most 500 KB."""

import gzip
import json

from tests.web.conftest import WEB

INITIAL_JS_BUDGET = 500 * 1024


def initial_chunks(manifest: dict) -> set[str]:
    """What the browser loads before any route renders: the entry and its static imports."""
    seen, todo = set(), ["index.html"]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(manifest[key].get("imports", []))
    return {manifest[key]["file"] for key in seen}


def test_the_initial_javascript_is_at_most_500_kb_gzipped(web_build):
    dist = WEB / "dist"
    manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
    files = initial_chunks(manifest)
    size = sum(len(gzip.compress((dist / f).read_bytes(), 9)) for f in files)
    print(f"initial JavaScript: {size / 1024:.0f} KB gzip in {len(files)} file(s)")
    assert size <= INITIAL_JS_BUDGET
    lazy = [v["file"] for v in manifest.values() if v.get("isDynamicEntry")]
    assert lazy, "every screen is a chunk loaded with its route"
