"""The template schema's DDL in the fewest statements, to replay once for every new office.

`pg_dump` writes each table's identity column, primary key, unique constraints and foreign keys
as ALTER TABLE statements of their own, after every table. Replayed as written, each ALTER
rebuilds the table's relation cache entry, and each added foreign key runs a validation query
over its two (empty) tables: a third of the backend's time per office (profiled: the
foreign-key check alone 15%). Declared inside CREATE TABLE, with every referenced table created
first, the same constraints need neither: PostgreSQL skips validating a table it has just
created. The catalogue that results is the same (tests/tenants/test_template_ddl.py compares the
`pg_dump` of an office with the template's).

Anything this does not recognise is kept as written, in pg_dump's order.
"""

import re

# Part of a snapshot's key (`TemplateSnapshot.state`): snapshots stored in an older form are
# taken again, not replayed.
FORMAT = "consolidated-1"

_TABLE = re.compile(r"CREATE TABLE (\S+) \(\n(.*)\n\);", re.S)
_IDENTITY = re.compile(
    r"ALTER TABLE (\S+) ALTER COLUMN (\S+) ADD (GENERATED .* AS IDENTITY .*);", re.S
)
_CONSTRAINT = re.compile(r"ALTER TABLE ONLY (\S+)\s+ADD CONSTRAINT (\S+) (.*);", re.S)
_REFERENCES = re.compile(r"FOREIGN KEY \([^)]*\) REFERENCES ([^(\s]+)\(")


def statements(ddl: str) -> list[str]:
    """pg_dump's statements: each ends its line with a semicolon."""
    return [part.strip() + ";" for part in re.split(r";\n", ddl) if part.strip()]


def consolidated(ddl: str) -> str:
    """`ddl` (pg_dump --schema-only of one schema) with every table's columns, identity and
    constraints in its CREATE TABLE, tables in the order their foreign keys need."""
    columns: dict[str, list[str]] = {}
    constraints: dict[str, list[str]] = {}
    foreign_keys: list[tuple[str, str, str]] = []  # table, "CONSTRAINT … FOREIGN KEY …", target
    before: list[str] = []
    after: list[str] = []
    for statement in statements(ddl):
        if table := _TABLE.fullmatch(statement):
            columns[table[1]] = table[2].split(",\n")
            constraints[table[1]] = []
        elif (identity := _IDENTITY.fullmatch(statement)) and _add_identity(columns, identity):
            pass
        elif (added := _CONSTRAINT.fullmatch(statement)) and added[1] in columns:
            clause = f"CONSTRAINT {added[2]} {added[3]}"
            if target := _REFERENCES.search(added[3]):
                foreign_keys.append((added[1], clause, target[1]))
            else:
                constraints[added[1]].append(clause)
        else:
            (after if columns else before).append(statement)
    order = _creation_order(columns, foreign_keys)
    position = {table: i for i, table in enumerate(order)}
    late = []  # a reference to a table created later (a cycle): added after, as pg_dump does
    for table, clause, target in foreign_keys:
        if target == table or position.get(target, len(order)) < position[table]:
            constraints[table].append(clause)
        else:
            late.append(f"ALTER TABLE ONLY {table} ADD {clause};")
    tables = [
        f"CREATE TABLE {t} (\n"
        + ",\n".join(columns[t] + [f"    {c}" for c in constraints[t]])
        + "\n);"
        for t in order
    ]
    return "\n".join(before + tables + late + after)


def _add_identity(columns: dict[str, list[str]], identity: re.Match) -> bool:
    """Put `GENERATED … AS IDENTITY (…)` on its column's definition; False if not found."""
    table, column, clause = identity[1], identity[2], " ".join(identity[3].split())
    definitions = columns.get(table, [])
    for i, definition in enumerate(definitions):
        if definition.split(maxsplit=1)[0] == column:
            definitions[i] = f"{definition} {clause}"
            return True
    return False


def _creation_order(columns: dict[str, list[str]], foreign_keys) -> list[str]:
    """pg_dump's tables with every referenced table moved before the tables referencing it; in
    a cycle of references, the reference that closes it is left to an ALTER."""
    needs: dict[str, list[str]] = {table: [] for table in columns}
    for table, _, target in foreign_keys:
        if target != table and target in needs:
            needs[table].append(target)
    order: list[str] = []
    seen: set[str] = set()

    def visit(table: str) -> None:
        if table in seen:  # placed already, or on the path being placed (a cycle)
            return
        seen.add(table)
        for target in needs[table]:
            visit(target)
        order.append(table)

    for table in columns:
        visit(table)
    return order
