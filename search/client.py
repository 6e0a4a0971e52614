from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch


@cache
def es_client() -> Elasticsearch:
    """One client per process; it pools connections and is thread-safe."""
    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=10, retry_on_timeout=True)
