"""URLs on an office's host name."""

from django.contrib import admin
from django.urls import include, path, re_path

from xinfang.graphql.schema import schema
from xinfang.graphql.views import graphql_view
from xinfang.platform.health import healthz
from xinfang.platform.notices.views import letter
from xinfang.platform.publicsite.views import attachment
from xinfang.platform.web import workbench

urlpatterns = [
    path("graphql/", graphql_view(schema), name="graphql"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("notices/<uuid:notice_id>/letter.pdf", letter, name="notice-letter"),
    # The petitioners' site: server-rendered pages, no login (docs/public-site.md).
    path("public/", include("xinfang.platform.publicsite.urls")),
    # Petitioners' attachments, for the office's officers only.
    path("attachments/<uuid:attachment_id>", attachment, name="attachment"),
    # Everything else without a file extension is a route of the workbench (React Router).
    re_path(
        r"^(?!graphql/|admin/|static/|healthz|public(?:/|$)|attachments/)(?P<path>[^.]*)$",
        workbench,
        name="workbench",
    ),
]
