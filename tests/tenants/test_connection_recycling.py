"""A connection that has wandered over too many office schemas is replaced between requests."""

from django.db import close_old_connections, connection

from xinfang.platform.cases.models import Petition


def visit(offices, *names):
    for name in names:
        connection.set_tenant(offices[name])
        Petition.objects.exists()
    connection.set_schema_to_public()


def test_a_connection_over_its_schema_budget_is_closed_at_the_next_request_boundary(
    committed, offices, settings
):
    settings.XINFANG_CONN_MAX_SCHEMAS = 2
    connection.close()
    connection.ensure_connection()
    socket = connection.connection
    visit(offices, "xihu", "yuhang")  # within the budget
    close_old_connections()
    assert connection.connection is socket
    visit(offices, "ningbo")
    close_old_connections()
    assert connection.connection is None
    visit(offices, "xihu")  # a fresh connection, a fresh count
    assert connection.schemas_visited == {offices["xihu"].schema_name}
