"""xinfang settings: one module, every value from the environment with a working local default.

`XINFANG_INSTANCE` namespaces everything a run touches (database, Elasticsearch indices, Redis keys,
Celery queues) so that several checkouts or test runs can share one set of local services.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


INSTANCE = env("XINFANG_INSTANCE", "")
_suffix = f"_{INSTANCE}" if INSTANCE else ""

# The local defaults of every secret: published in this file, so with DEBUG off any of them stops
# start-up (platform/safety.py). `make run` sets DJANGO_DEBUG=1.
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "dev-only-insecure-key-change-me-in-production-0123456789",
    "XINFANG_FIELD_KEYS": ["ZGV2LW9ubHktZmllbGQta2V5LXJlcGxhY2UtbWUtMDA="],
    "XINFANG_PERSON_KEY_SECRET": "dev-only-person-key-secret",
    "XINFANG_QUERY_CODE_KEY": "dev-only-query-code-key",
}

SECRET_KEY = env("DJANGO_SECRET_KEY", DEVELOPMENT_SECRETS["SECRET_KEY"])
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", ".localhost,localhost,127.0.0.1,testserver").split(",")

# --- HTTPS, behind a TLS-terminating proxy (XINFANG_HTTPS=1 in production) ------------------------

HTTPS = env_bool("XINFANG_HTTPS", False)
if HTTPS:
    # The proxy terminates TLS and says so; Django trusts the header only with this switch on.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP to the pod
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every office is a sub-domain of the platform's
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Same origin only; GraphiQL and the web client are served from the office host (no CDN), and
# Ant Design / GraphiQL set inline styles.
CONTENT_SECURITY_POLICY = env(
    "XINFANG_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# --- apps: public schema (shared) and one schema per office (tenant) -----------------------------

SHARED_APPS = [
    "django_tenants",
    "xinfang.tenants",
    "xinfang.platform.registry",
    "xinfang.platform.exchange",
    "xinfang.platform.supervision",
    "xinfang.platform.resolution.ledger",
    "xinfang.platform.holidays",
    "xinfang.platform.backups",
    "xinfang.platform.outbox",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "graphene_django",
    "graphene_django_graphiql_static",  # GraphiQL's scripts and styles, served by us, no CDN
    "corsheaders",
    "axes",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "xinfang.platform.accounts",
    "xinfang.platform.cases",
    "xinfang.platform.resolution",
    "xinfang.platform.notices",
    "xinfang.platform.publicsite",
    "xinfang.search",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Office"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "xinfang.platform.urls_public"
ROOT_URLCONF = "xinfang.platform.urls"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
# How a new office's schema is built: "template" (replay the DDL of the migrated template schema),
# "clone" (django-tenants' clone_schema) or "migrate". See tenants/provisioning.py and the README.
XINFANG_SCHEMA_STRATEGY = env("XINFANG_SCHEMA_STRATEGY", "template")
XINFANG_TEMPLATE_SCHEMA = "xinfang_template"
TENANT_BASE_SCHEMA = XINFANG_TEMPLATE_SCHEMA
TENANT_CREATION_FAKES_MIGRATIONS = False
# `migrate_schemas --executor multiprocessing` (make migrate MIGRATION_EXECUTOR=multiprocessing)
# migrates many office schemas in parallel, with this many processes.
TENANT_MULTIPROCESSING_MAX_PROCESSES = int(env("XINFANG_MIGRATION_PROCESSES", "4"))
# Issue `SET search_path` once per schema switch, not before every statement (half the round trips
# of a request). Safe here: the backend forgets the setting on rollback and savepoint rollback,
# which is when PostgreSQL reverts a SET.
TENANT_LIMIT_SET_CALLS = env_bool("XINFANG_TENANT_LIMIT_SET_CALLS", True)

MIDDLEWARE = [
    # HTTPS redirect and HSTS first; static files (the admin's, GraphiQL's, the workbench's hashed
    # assets) need no office, so they are served before the office lookup (a query per request).
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinfang.tenants.middleware.OfficeMiddleware",
    "xinfang.platform.http.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Bearer API tokens and cookie-less API calls: nothing to forge, so no CSRF check; both come
    # before it.
    "xinfang.platform.accounts.middleware.ApiTokenMiddleware",
    "xinfang.platform.accounts.middleware.CookielessCsrfExemptMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # the lockout response (platform/accounts/throttling.py)
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "graphql" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "xinfang.platform.wsgi.application"
ASGI_APPLICATION = "xinfang.platform.asgi.application"

# --- PostgreSQL ----------------------------------------------------------------------------------

DATABASES = {
    "default": {
        **dj_database_url.parse(
            env("DATABASE_URL", "postgres://xinfang:xinfang@127.0.0.1:5432/xinfang"),
            # Bounded lifetime: every backend caches metadata for each schema it touched.
            conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "300")),
            # A connection reused after a PostgreSQL restart is checked first and replaced when
            # broken, so a restart costs no 500 once the database is back.
            conn_health_checks=True,
        ),
        # django-tenants' backend, recycled after XINFANG_CONN_MAX_SCHEMAS schemas (its docstring).
        "ENGINE": "xinfang.tenants.postgresql_backend",
        "TEST": {"NAME": f"test_xinfang{_suffix}"},
    }
}
# A streaming replica (hot standby) for the read-only cross-office queries, used while it is less
# than XINFANG_REPLICA_MAX_LAG seconds behind (platform/replica.py; README: PostgreSQL replica).
XINFANG_REPLICA_URL = env("XINFANG_REPLICA_URL", "")
XINFANG_REPLICA_MAX_LAG = float(env("XINFANG_REPLICA_MAX_LAG", "5"))
if XINFANG_REPLICA_URL:
    DATABASES["replica"] = {
        **DATABASES["default"],
        **dj_database_url.parse(
            XINFANG_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "ENGINE": DATABASES["default"]["ENGINE"],
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = [
    "xinfang.platform.replica.ReplicaRouter",
    "django_tenants.routers.TenantSyncRouter",
]
XINFANG_CONN_MAX_SCHEMAS = int(env("XINFANG_CONN_MAX_SCHEMAS", "100"))
# `import_offices` builds the offices of one level in this many processes at once; 0: two per core,
# or one per core during a first load (tenants/bulk_provisioning.default_processes).
XINFANG_PROVISIONING_PROCESSES = int(env("XINFANG_PROVISIONING_PROCESSES", "0"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Officers belong to one office: the table lives in each office's schema.
AUTH_USER_MODEL = "accounts.Officer"

# --- Redis: cache and Celery broker --------------------------------------------------------------

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"xinfang{_suffix}",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
# Nobody reads task results, except a task that asks for them (ignore_result=False): those expire
# within the hour.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 60 * 60
# A message a worker took but never acknowledged (killed with -9) goes back to the queue after
# this long. Countdowns must stay below it, or the message is delivered twice: dispatchers stagger
# their chunks over XINFANG_STAGGER_WINDOW_SECONDS.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 10 * 60}
XINFANG_STAGGER_WINDOW_SECONDS = 8 * 60
# A broker that is down at start-up is waited for, not fatal; a publish gives up within seconds
# (only the outbox relay publishes after a commit, from a thread of its own: platform/outbox).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Celery closes the database connection around every task unless told to reuse it; the worker
# instead checks it before each task (platform/celery.py) like a request, within CONN_MAX_AGE.
CELERY_DB_REUSE_MAX = 1_000_000
# One queue per kind of work, each with workers of its own (README, Operations): a repeat check
# never waits behind a backlog of indexing, a notice never behind a daily scan. `default` carries
# the outbox sweep, handoff receipts and the small periodic tasks. Tasks are routed to theirs by
# name below (Celery's task_routes), outbox effects name theirs (`handlers.each(queue=…)`).
CELERY_TASK_DEFAULT_QUEUE = f"xinfang{_suffix}"
XINFANG_QUEUES = {"default": CELERY_TASK_DEFAULT_QUEUE} | {
    name: f"{CELERY_TASK_DEFAULT_QUEUE}.{name}" for name in ("index", "checks", "notices", "scans")
}
_ROUTES = {
    "scans": (
        "cases.dispatch_overdue_scan", "cases.scan_overdue_chunk",
        "resolution.dispatch_daily_scan", "resolution.scan_chunk",
        "supervision.rollup_metrics", "supervision.rollup_metrics_chunk",
        "search.refresh_collective_alerts", "search.reconcile_index",
    ),
    "notices": ("notices.release_waiting",),
}  # fmt: skip
CELERY_TASK_ROUTES = {
    task: {"queue": XINFANG_QUEUES[name]} for name, tasks in _ROUTES.items() for task in tasks
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {
    # One dispatcher walks the office table and queues chunks (DESIGN §2 scale-out).
    # The national holiday calendar stays loaded ahead of every deadline (holidays/services.py).
    "holidays-ensure-calendar": {"task": "holidays.ensure_calendar", "schedule": 24 * 60 * 60},
    "cases-overdue-scan": {
        "task": "cases.dispatch_overdue_scan",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 6 * 60 * 60},
    },
    # After-commit work (platform/outbox): effects whose nudge was lost or whose retry is due.
    "outbox-sweep": {"task": "outbox.sweep", "schedule": 10, "options": {"expires": 10}},
    # Notices recorded while their channel was not configured, once it is (platform/notices).
    "notices-release-waiting": {
        "task": "notices.release_waiting",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # Supervision orders past their deadline; monthly metric rollups (a dispatcher queues
    # staggered chunks of offices).
    "supervision-overdue-orders": {"task": "supervision.mark_overdue_orders", "schedule": 60 * 60},
    "supervision-rollup-metrics": {"task": "supervision.rollup_metrics", "schedule": 60 * 60},
    # Collective petitions per province (search/collective.py); index repair after outages.
    "search-collective-alerts": {"task": "search.refresh_collective_alerts", "schedule": 10 * 60},
    "search-reconcile-index": {"task": "search.reconcile_index", "schedule": 60 * 60},
    # Due and overdue visits and action items, resolution metrics (docs/resolution.md).
    "resolution-daily-scan": {
        "task": "resolution.dispatch_daily_scan",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 6 * 60 * 60},
    },
}

# --- Elasticsearch -------------------------------------------------------------------------------

# One URL, or the nodes of a cluster separated by commas: the client spreads requests over them and
# sends a request again to another node when one is down (search/client.py).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_NODES = [url.strip() for url in ELASTICSEARCH_URL.split(",") if url.strip()]
# A new index version's primary shards and replicas (docs/adr/0006-search-shards-and-replicas.md).
# "0-1" expands to one replica as soon as a second node is there: none on one node (still green),
# a copy of every shard on another node in a cluster, so a node's death loses no write.
ELASTICSEARCH_SHARDS = int(env("XINFANG_ES_SHARDS", "1"))
ELASTICSEARCH_REPLICAS = env("XINFANG_ES_REPLICAS", "0-1")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", f"xinfang{_suffix}")

# --- personal data -------------------------------------------------------------------------------

# Fernet keys for ID and phone numbers at rest, newest first; older keys still decrypt (rotation).
XINFANG_FIELD_KEYS = env(
    "XINFANG_FIELD_KEYS", ",".join(DEVELOPMENT_SECRETS["XINFANG_FIELD_KEYS"])
).split(",")
# Platform secret for person_key HMACs: the same person gives the same key in every office.
XINFANG_PERSON_KEY_SECRET = env(
    "XINFANG_PERSON_KEY_SECRET", DEVELOPMENT_SECRETS["XINFANG_PERSON_KEY_SECRET"]
)
# Key of the query-code HMACs (查询码), apart from SECRET_KEY: rotating the secret key (sessions,
# CSRF) must not break every petitioner's lookup.
XINFANG_QUERY_CODE_KEY = env(
    "XINFANG_QUERY_CODE_KEY", DEVELOPMENT_SECRETS["XINFANG_QUERY_CODE_KEY"]
)

# --- notices to petitioners (platform/notices, docs/notices.md) ----------------------------------
# Nothing is sent unless a channel is configured here: without XINFANG_SMTP_HOST no e-mail, without
# XINFANG_SMS_PROVIDER no SMS (such notices are recorded as not sent, with the reason).

XINFANG_SMTP_HOST = env("XINFANG_SMTP_HOST", "")
XINFANG_SMTP_PORT = int(env("XINFANG_SMTP_PORT", "25"))
XINFANG_SMTP_USER = env("XINFANG_SMTP_USER", "")
XINFANG_SMTP_PASSWORD = env("XINFANG_SMTP_PASSWORD", "")
XINFANG_SMTP_STARTTLS = env_bool("XINFANG_SMTP_STARTTLS", False)
XINFANG_SMTP_SSL = env_bool("XINFANG_SMTP_SSL", False)
XINFANG_SMTP_TIMEOUT = float(env("XINFANG_SMTP_TIMEOUT", "10"))
XINFANG_SMTP_FROM = env("XINFANG_SMTP_FROM", "xinfang@localhost")
XINFANG_SMTP_MESSAGE_DOMAIN = env("XINFANG_SMTP_MESSAGE_DOMAIN", "xinfang.localhost")
# SMS through a provider's HTTP API (platform/notices/channels/sms.py: Alibaba Cloud's SendSms).
# The templates are the provider's codes of templates registered with it: ${office} ${reference}
# ${title}, and ${code} (the query code) in the registration one.
XINFANG_SMS_PROVIDER = env("XINFANG_SMS_PROVIDER", "")
XINFANG_SMS_ENDPOINT = env("XINFANG_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
XINFANG_SMS_ACCESS_KEY_ID = env("XINFANG_SMS_ACCESS_KEY_ID", "")
XINFANG_SMS_ACCESS_KEY_SECRET = env("XINFANG_SMS_ACCESS_KEY_SECRET", "")
XINFANG_SMS_SIGN_NAME = env("XINFANG_SMS_SIGN_NAME", "")
XINFANG_SMS_TEMPLATE = env("XINFANG_SMS_TEMPLATE", "")
XINFANG_SMS_TEMPLATE_REGISTERED = env("XINFANG_SMS_TEMPLATE_REGISTERED", "")
XINFANG_SMS_TIMEOUT = float(env("XINFANG_SMS_TIMEOUT", "10"))
# The Chinese font of printed notices (告知书, platform/notices/letters.py): Debian's
# fonts-wqy-zenhei (TrueType outlines, which the PDF library embeds; deploy/browser.sh and the
# image install it).
XINFANG_NOTICE_FONT = env("XINFANG_NOTICE_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
# A notice that keeps failing is given up (status failed, visible on the petition) after this many
# attempts; the outbox backs off between them (2 s … 5 min).
XINFANG_NOTICE_MAX_ATTEMPTS = int(env("XINFANG_NOTICE_MAX_ATTEMPTS", "8"))
# A notice recorded while its channel was not configured waits for it: once configured, the
# notices workers send the waiting ones (at most this many per channel a minute, beat's
# `notices.release_waiting`) if they are younger than this many days; older ones are given up.
XINFANG_NOTICE_RESEND_DAYS = int(env("XINFANG_NOTICE_RESEND_DAYS", "30"))
XINFANG_NOTICE_RELEASE_BATCH = int(env("XINFANG_NOTICE_RELEASE_BATCH", "200"))

# --- GraphQL -------------------------------------------------------------------------------------

CSRF_FAILURE_VIEW = "xinfang.graphql.views.csrf_failure"
GRAPHENE = {"SCHEMA": "xinfang.graphql.schema.schema"}
GRAPHQL_MAX_DEPTH = int(env("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_PAGE_SIZE = int(env("GRAPHQL_MAX_PAGE_SIZE", "100"))
GRAPHQL_MAX_FIELDS = int(env("GRAPHQL_MAX_FIELDS", "500"))
# The objects one request may resolve (graphql/limits.py): a page of 100 petitions with their
# timeline, reply and evaluation costs 6,701 (three in aliases are refused); the workbench's list
# of 50 petitions with petitioners, handler and latest event 901.
GRAPHQL_MAX_COST = int(env("GRAPHQL_MAX_COST", "20000"))
# What all of one office's logged-in clients together may spend per window (graphql/limits.py),
# so that one office's integration cannot starve the others: 300,000 a minute is some 330 lists
# of 50 petitions (cost 901, 41 ms each), about 14 s of one core; 30 officers opening a list
# every 10 s spend 162,000.
GRAPHQL_OFFICE_COST_BUDGET = int(env("GRAPHQL_OFFICE_COST_BUDGET", "300000"))
GRAPHQL_COST_WINDOW_SECONDS = int(env("GRAPHQL_COST_WINDOW_SECONDS", "60"))
# Introspection and "Did you mean …?" spell out the schema: on with DEBUG, else only when asked.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)
GRAPHQL_SUGGESTIONS = env_bool("GRAPHQL_SUGGESTIONS", DEBUG)

# Cross-origin clients (an integrator's browser tool, a separately hosted front end): only these
# origins, only the API, with credentials (their requests with a session still pass CSRF).
CORS_ALLOWED_ORIGINS = [o for o in env("XINFANG_CORS_ORIGINS", "").split(",") if o]
CORS_URLS_REGEX = r"^/graphql/$"
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS
# Proxies (addresses or networks) whose X-Forwarded-For names the client: the login and lookup
# throttles count per client address (platform/http.py). Empty: REMOTE_ADDR is the client.
XINFANG_TRUSTED_PROXIES = env("XINFANG_TRUSTED_PROXIES", "")

# --- Sentry --------------------------------------------------------------------------------------

SENTRY_DSN = env("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "local")

# --- the rest ------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes) on the GraphQL login and the admin: after AXES_FAILURE_LIMIT wrong
# passwords for one username of an office, or from one client address, logins are refused for
# AXES_COOLOFF_TIME. Counters live in Redis (no tables in every office schema); the username is
# qualified by the office (platform/accounts/throttling.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = int(env("XINFANG_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("XINFANG_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "xinfang.platform.accounts.throttling.office_username"
AXES_CLIENT_IP_CALLABLE = "xinfang.platform.http.client_address"
AXES_LOCKOUT_CALLABLE = "xinfang.platform.accounts.throttling.lockout_response"
AXES_VERBOSE = False
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Static files (the admin's, GraphiQL's) are served by the app itself through WhiteNoise: hashed
# names cached for a year, gzip and brotli copies made by `collectstatic`. STATIC_ROOT is outside
# the package (the image sets XINFANG_STATIC_ROOT; a checkout uses .data/).
STATIC_URL = "static/"
STATIC_ROOT = Path(env("XINFANG_STATIC_ROOT", str(BASE_DIR / ".data" / "static")))
# Uploaded files (petitioners' attachments, platform/publicsite): never served from a URL of the
# storage (no MEDIA_URL); officers fetch them through an authorised view. Another backend (object
# storage) is a STORAGES["default"] away.
MEDIA_ROOT = Path(env("XINFANG_MEDIA_ROOT", str(BASE_DIR / ".data" / f"media{_suffix}")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "XINFANG_STATICFILES_STORAGE",
            "xinfang.platform.static.StaticFilesStorage",
        )
    },
}

# --- the web client (web/, docs/web.md) ----------------------------------------------------------

# `npm run build` writes web/dist: index.html (served at / by platform/web.py) and assets/ with
# content-hashed names, served by WhiteNoise at /static/web/ straight from the build (finders), so
# `make run` needs no collectstatic; after collectstatic they come from STATIC_ROOT the same way.
WEB_BUILD_DIR = Path(env("XINFANG_WEB_BUILD", str(BASE_DIR / "web" / "dist")))
STATICFILES_DIRS = [BASE_DIR / "graphql" / "static", ("web", WEB_BUILD_DIR)]
WHITENOISE_USE_FINDERS = True
# Vite names every asset `name-<8 character hash>.ext`, collectstatic `name.<12 hex>.ext`: both
# are safe to cache for good.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+(/assets/.+-[\w-]{8}|\.[0-9a-f]{12})\.\w+$"

# --- the petitioners' public site (platform/publicsite, docs/public-site.md) ----------------------

# A filing form sent back sooner than this after it was handed out is a robot's (limits.py).
XINFANG_PUBLIC_FORM_MIN_SECONDS = float(env("XINFANG_PUBLIC_FORM_MIN_SECONDS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler scrubs ID numbers, phones and query codes (platform/logs.py).
    "filters": {"personal_data": {"()": "xinfang.platform.logs.ScrubPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"elastic_transport": {"level": "WARNING"}},
}

from xinfang.platform.observability import init_sentry  # noqa: E402

init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
