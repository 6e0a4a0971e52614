"""URLs on an office's host name."""

from django.contrib import admin
from django.urls import path

from xinfang.graphql.schema import schema
from xinfang.graphql.views import graphql_view
from xinfang.platform.health import healthz

urlpatterns = [
    path("graphql/", graphql_view(schema), name="graphql"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
