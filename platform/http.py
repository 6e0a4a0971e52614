"""HTTP concerns Django 5.2 leaves to us: the Content-Security-Policy header, and the client's
address behind trusted proxies."""

import ipaddress

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """`Content-Security-Policy` on every response (settings.CONTENT_SECURITY_POLICY): scripts
    only from the office's own host, so an injected `<script>` or a CDN never runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


def _networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n.strip(), strict=False) for n in value.split(",") if n.strip()]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address, for throttles: REMOTE_ADDR, unless that is one of the trusted proxies
    (XINFANG_TRUSTED_PROXIES, addresses or networks); then the nearest X-Forwarded-For hop that is
    not. A client can write anything into X-Forwarded-For, so only hops added by trusted proxies
    count: reading from the right, the first untrusted address is the one a proxy of ours saw."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = _networks(settings.XINFANG_TRUSTED_PROXIES)
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote
