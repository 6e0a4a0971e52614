"""A task the test worker loads to observe which schema a task runs in."""

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from xinfang.platform.celery import app


@app.task
def write_session_marker(session_key: str) -> str:
    """Write a session row in whatever schema the task was switched to; return that schema."""
    store = SessionStore(session_key=session_key)
    store["marker"] = session_key
    store.save(must_create=True)
    return connection.schema_name
