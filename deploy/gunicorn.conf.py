"""gunicorn for the web container: `gunicorn -c deploy/gunicorn.conf.py`.

Sized by environment variables: WEB_CONCURRENCY worker processes (default 2 per core), each with
WEB_THREADS threads (default 4). Each thread holds at most one PostgreSQL connection, so a pod
needs WEB_CONCURRENCY × WEB_THREADS connections of PostgreSQL's max_connections.
"""

import multiprocessing
import os

wsgi_app = "xinfang.platform.wsgi:application"
bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
# Load the application once in the master: a default secret stops the start (exit code 1)
# instead of every worker failing to boot in turn.
preload_app = True
backlog = 2048
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (memory that grows with the office schemas a worker touched).
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# The request line without its query string: GET queries may carry personal data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("XINFANG_TRUSTED_PROXIES", "127.0.0.1")
# gunicorn's own access and error lines scrub personal data like Django's (platform/logs.py).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "xinfang.platform.logs.ScrubPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s [%(process)d] %(levelname)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["personal_data"],
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
