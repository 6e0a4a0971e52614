"""The repository's folders are one import package, `xinfang`, without shadowing anything."""

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAPPED = {"platform", "tenants", "search", "graphql"}


def test_from_the_repository_root_platform_and_graphql_are_the_real_ones():
    probe = (
        "import platform, graphql, sys;"
        "print(platform.__file__); print(graphql.__file__); print(platform.python_version())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert not out[0].startswith(str(REPO)), out[0]
    assert "site-packages" in out[1] and not out[1].startswith(str(REPO / "graphql")), out[1]
    assert out[2] == ".".join(map(str, sys.version_info[:3]))


def test_platform_and_graphql_folders_have_no_init_file():
    assert not (REPO / "platform" / "__init__.py").exists()
    assert not (REPO / "graphql" / "__init__.py").exists()


def test_every_python_folder_is_listed_as_a_package_for_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = set()
    for top in MAPPED:
        for folder in [REPO / top, *(p for p in (REPO / top).rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts or not any(folder.glob("*.py")):
                continue
            relative = folder.relative_to(REPO).parts
            on_disk.add(".".join(("xinfang", *relative)))
    assert on_disk == listed
    assert config["package-dir"] == {f"xinfang.{top}": top for top in MAPPED}
