from django.http import HttpResponseNotFound
from django_tenants.middleware.main import TenantMainMiddleware


class OfficeMiddleware(TenantMainMiddleware):
    """Route each request to its office's schema by host name; an unknown host is a clear 404."""

    def no_tenant_found(self, request, hostname):
        return HttpResponseNotFound(
            f"No petition office answers at host '{hostname}'.\n",
            content_type="text/plain; charset=utf-8",
        )
