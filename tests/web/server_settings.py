"""The browser tests' web server: the real settings, with the cheap password hasher the rest of
the suite uses (PBKDF2 costs a second per login on this machine, and the scripts log in often),
the login throttle's counters in a cache of their own (`XINFANG_E2E_AXES_PREFIX`, fresh each
run), which tests/web empties before every script, and every other cache key under a prefix
fresh each run (`XINFANG_E2E_CACHE_PREFIX`): the scripts all log in from 127.0.0.1, and one
script's wrong passwords or lockout must not lock the next one out. The throttle itself is the
production one."""

import os

from xinfang.platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The server shares the test process's database, and so its keys: the local defaults. With DEBUG
# off they would stop start-up (platform/safety.py); this module is only ever a test server's.
DEVELOPMENT_SECRETS = {name: () for name in DEVELOPMENT_SECRETS}  # noqa: F405

_AXES_PREFIX = os.environ.get("XINFANG_E2E_AXES_PREFIX", "e2e-axes")
# Every other counter (the progress lookup's wrong codes per client, the filing limits) under a
# prefix of this run's own (`XINFANG_E2E_CACHE_PREFIX`): a wrong code a script tries on purpose
# must not count against 127.0.0.1 in the next run of the suite within the counters' day.
_CACHE = {**CACHES["default"], "KEY_PREFIX": os.environ.get("XINFANG_E2E_CACHE_PREFIX", "e2e")}  # noqa: F405
CACHES = {**CACHES, "default": _CACHE, "axes": {**_CACHE, "KEY_PREFIX": _AXES_PREFIX}}  # noqa: F405
AXES_CACHE = "axes"

# Static files from the finders, as the rest of the suite (tests/conftest.py): the petitioners'
# pages name their CSS and script with `{% static %}`, which the production storage resolves
# through collectstatic's manifest (tests/security/test_production.py runs that way).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
