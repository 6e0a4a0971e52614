"""A backup of the whole platform: one pg_dump of the database in custom format (every office
schema and the public schema together, so cross-office rows stay consistent with each other).

The outbox and every pending handoff are in PostgreSQL, so a restore loses nothing queued; the
Elasticsearch index is derived data, rebuilt from the restored database (`search_index rebuild`).
"""

import datetime
from pathlib import Path

from django.conf import settings

from xinfang.platform.backups import pgtools

BACKUP_DIR = settings.BASE_DIR / ".data" / "backups"


def backup(path: Path | None = None) -> Path:
    """Dump the database to `path` (default: .data/backups/xinfang-<UTC time>.dump)."""
    if path is None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        BACKUP_DIR.mkdir(parents=True, exist_ok=True)
        path = BACKUP_DIR / f"xinfang-{stamp}.dump"
    pgtools.dump(path)
    return path


def restore(path: Path) -> None:
    """Replace the database's contents with the backup at `path`, in one transaction (stop the web
    server, worker and beat first: the restore drops and recreates every table)."""
    pgtools.restore(path, clean=True)
