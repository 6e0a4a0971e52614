"""Login throttling with django-axes (settings: AXES_*): who a failed login counts against, and
what a locked-out client is told.

Officers belong to one office, so the same username in two offices is two people: the counter is
kept per office and username. The client address comes from platform/http.py (trusted proxies).
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse

from xinfang.platform.errors import ErrorCode

GRAPHQL_PATH = "/graphql/"
LOCKED_OUT = "登录失败次数过多，请稍后再试 (too many failed logins; try again later)"


def office_username(request, credentials) -> str | None:
    """`<office schema>:<username>`: a lockout in one office never locks another's officer."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    if not username:
        return None
    return f"{connection.schema_name}:{username}"


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 for a locked-out login: a GraphQL error with a stable code on /graphql/, a short page
    in the admin."""
    if request.path_info.startswith(GRAPHQL_PATH):
        error = {"message": LOCKED_OUT, "extensions": {"code": ErrorCode.THROTTLED}}
        return JsonResponse({"errors": [error]}, status=429)
    return HttpResponse(LOCKED_OUT, status=429, content_type="text/plain; charset=utf-8")
