"""A task the test worker loads to observe which schema a task runs in."""

import datetime

from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from xinfang.platform.celery import app


@app.task(ignore_result=False)  # the test reads its result
def write_session_marker(session_key: str) -> str:
    """Write a session row in whatever schema the task was switched to; say which database and
    schema that was."""
    Session.objects.create(
        session_key=session_key,
        session_data="",
        expire_date=timezone.now() + datetime.timedelta(minutes=5),
    )
    return f"{connection.settings_dict['NAME']}:{connection.schema_name}"


@app.task(ignore_result=False)  # the test reads its result
def database_backend_pid() -> int:
    """The PostgreSQL backend serving the worker's connection (the same one task after task)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
