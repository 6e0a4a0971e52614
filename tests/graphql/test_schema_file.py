from pathlib import Path

from xinfang.graphql.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


def test_the_committed_schema_file_is_current():
    """Regenerate with `make schema` when this fails."""
    assert SCHEMA_FILE.read_text(encoding="utf-8").strip() == str(schema).strip()
