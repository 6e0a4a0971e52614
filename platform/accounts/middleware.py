"""Bearer API tokens for integrations: `Authorization: Bearer xft_...`.

Placed after the office middleware (tokens live in the office's schema) and before
`CsrfViewMiddleware`: a request that carries a valid token is authenticated as the token's officer
(with only the token's scopes) and exempt from CSRF, since no browser cookie is involved. A request
with an invalid, expired or revoked token is refused with 401 and never falls back to the session.
"""

from django.conf import settings
from django.http import JsonResponse

from xinfang.platform.accounts.services import api_token_authenticate
from xinfang.platform.errors import ErrorCode

GRAPHQL_PATH = "/graphql/"


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header or not request.path_info.startswith(GRAPHQL_PATH):
            # Tokens are for the API only: the admin and everything else use sessions.
            return self.get_response(request)
        scheme, _, raw = header.partition(" ")
        officer = None
        tenant = getattr(request, "tenant", None)
        if scheme.lower() == "bearer" and tenant is not None and tenant.schema_name != "public":
            officer = api_token_authenticate(raw.strip())
        if officer is None:
            return JsonResponse(
                {
                    "errors": [
                        {
                            "message": "invalid API token",
                            "extensions": {"code": ErrorCode.INVALID_TOKEN},
                        }
                    ]
                },
                status=401,
            )
        # AuthenticationMiddleware's lazy user reads this cache instead of the session.
        request._cached_user = officer
        request.user = officer
        request._dont_enforce_csrf_checks = True
        return self.get_response(request)


# What a cross-site page cannot send without a CORS preflight (which only configured origins pass).
API_CONTENT_TYPES = ("application/json", "application/graphql")


class CookielessCsrfExemptMiddleware:
    """An API request that carries no session cookie needs no CSRF token: there is no ambient
    credential for another site to ride on. A request with a session cookie is still checked, and
    so is a form-encoded one (a cross-site form could log a browser into someone else's account).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith(GRAPHQL_PATH)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and request.content_type in API_CONTENT_TYPES
        ):
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
