"""pg_dump and pg_restore against the configured database (credentials through the environment,
never on a command line)."""

import subprocess
from pathlib import Path

from django.conf import settings


def _connection_args(database: str | None = None) -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = [
        "--host", db["HOST"] or "127.0.0.1",
        "--port", str(db["PORT"] or 5432),
        "--username", db["USER"],
        "--dbname", database or db["NAME"],
    ]  # fmt: skip
    env = {"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def dump(path: Path, *, schema: str | None = None) -> None:
    """A custom-format dump (compressed, restorable by table) of the database or one schema."""
    args, env = _connection_args()
    scope = [f"--schema={schema}"] if schema else []
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *scope,
          f"--file={path}", *args], env)  # fmt: skip


def restore(path: Path, *, clean: bool = False) -> None:
    """Restore a custom-format dump in one transaction: wholly or not at all. `clean` drops the
    objects of the dump first (restoring the whole platform over itself)."""
    args, env = _connection_args()
    options = ["--clean", "--if-exists"] if clean else []
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", *options, *args, str(path)], env)  # fmt: skip
