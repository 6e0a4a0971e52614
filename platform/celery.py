"""The Celery app. Tasks run in the schema of the office that queued them.

tenant-schemas-celery puts the queuing connection's schema in a task header and switches the
worker's connection to it before the task runs (and back afterwards).
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")

app = CeleryApp("xinfang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
