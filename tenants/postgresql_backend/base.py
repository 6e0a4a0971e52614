"""django-tenants' PostgreSQL backend, with a bound on the office schemas one connection visits.

A PostgreSQL backend caches the catalogue entries of every relation it has touched for as long as
the connection lives (measured here: 35 MB after one office schema, 615 MB after 3,000). A pooled
web or Celery connection that wanders over thousands of offices would hold gigabytes. Django
already closes obsolete connections between requests and tasks (`close_old_connections`); this
backend also calls a connection obsolete once it has used more than `XINFANG_CONN_MAX_SCHEMAS`
distinct schemas, so the next request or task starts on a connection with an empty cache.
"""

from django.conf import settings
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args, **kwargs):
        self.schemas_visited: set[str] = set()
        super().__init__(*args, **kwargs)

    def connect(self):
        super().connect()
        self.schemas_visited = set()

    def _handle_search_path(self, cursor=None):
        super()._handle_search_path(cursor)
        self.schemas_visited.add(self.schema_name)

    def note_schema_built(self, schema_name: str) -> None:
        """A schema created on this connection: the backend caches its catalogue too."""
        self.schemas_visited.add(schema_name)

    def recycle_if_worn(self) -> None:
        """Close the connection (the next query opens a fresh one) once it has used more than
        XINFANG_CONN_MAX_SCHEMAS schemas: for long loops over offices outside requests and tasks
        (provisioning a whole country), where Django never reaches a connection boundary."""
        if (
            self.connection is not None
            and not self.in_atomic_block
            and len(self.schemas_visited) > settings.XINFANG_CONN_MAX_SCHEMAS
        ):
            self.close()

    def close_if_unusable_or_obsolete(self):
        if (
            self.connection is not None
            and not self.in_atomic_block
            and len(self.schemas_visited) > settings.XINFANG_CONN_MAX_SCHEMAS
        ):
            self.close()
            return
        super().close_if_unusable_or_obsolete()
