"""URLs on the public host: platform-level things only (office tables do not exist in `public`)."""

from django.urls import path

from xinfang.graphql.schema import public_schema
from xinfang.graphql.views import graphql_view
from xinfang.platform.health import healthz

urlpatterns = [
    path("graphql/", graphql_view(public_schema), name="graphql"),
    path("healthz", healthz, name="healthz"),
]
