"""The Celery app. Tasks run in the schema of the office that queued them.

tenant-schemas-celery puts the queuing connection's schema in a task header and switches the
worker's connection to it before the task runs (and back afterwards).
"""

import os

from celery.signals import beat_init, worker_init
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")

app = CeleryApp("xinfang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_start(**_kwargs):
    """A worker or beat with a default secret would encrypt and match with it: stop instead
    (SystemExit, since Celery logs and swallows a signal handler's exceptions)."""
    from django.core.exceptions import ImproperlyConfigured

    from xinfang.platform.safety import refuse_unsafe_start

    try:
        refuse_unsafe_start()
    except ImproperlyConfigured as error:
        raise SystemExit(f"xinfang: {error}") from error
