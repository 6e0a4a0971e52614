"""The officers' workbench (web/): its index.html on every office host, for every client-side route.

The hashed scripts and styles it loads are static files under /static/web/ (WhiteNoise, see
settings); this view only hands out the page that loads them, with the CSRF cookie the GraphQL
client sends back, so the workbench and /graphql/ share one origin, one session, one token.
"""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

NOT_BUILT = "The web client is not built: run `make web` (npm ci and npm run build in web/).\n"


@ensure_csrf_cookie
def workbench(request, path: str = "") -> HttpResponse:
    """index.html of the build; never cached, so a new build reaches browsers at once (the files
    it names carry content hashes and are cached for good)."""
    try:
        html = (settings.WEB_BUILD_DIR / "index.html").read_bytes()
    except FileNotFoundError:
        return HttpResponse(NOT_BUILT, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
