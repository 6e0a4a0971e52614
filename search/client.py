"""The Elasticsearch client: one per process (it pools connections and is thread-safe)."""

from functools import cache

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError

# What "Elasticsearch is unavailable" looks like to callers: connection refused, timeouts, 5xx.
UNAVAILABLE = (TransportError, ConnectionError)

# Requests made while an officer waits (search, the repeat check at registration): fail fast.
INTERACTIVE_TIMEOUT = 3


@cache
def es_client() -> Elasticsearch:
    return Elasticsearch(settings.ELASTICSEARCH_NODES, request_timeout=10, retry_on_timeout=True)


def interactive_client() -> Elasticsearch:
    """The client with a short timeout, for requests someone waits on: no retry on one node; on
    a cluster one retry on another node, also after a timeout (a dying or stalled node)."""
    cluster = len(settings.ELASTICSEARCH_NODES) > 1
    return es_client().options(
        request_timeout=INTERACTIVE_TIMEOUT, max_retries=int(cluster), retry_on_timeout=cluster
    )


def is_unavailable(exc: Exception) -> bool:
    """True for a down/overloaded cluster, False for a request Elasticsearch rejected."""
    if isinstance(exc, ApiError):
        return exc.meta.status >= 500 or exc.meta.status == 429
    return isinstance(exc, UNAVAILABLE)
