"""The browser tests' web server: the real settings, with the cheap password hasher the rest of
the suite uses (PBKDF2 costs a second per login on this machine, and the scripts log in often),
and the login throttle's counters in a cache of their own (`XINFANG_E2E_AXES_PREFIX`, fresh each
run), which tests/web empties before every script: the scripts all log in from 127.0.0.1, and one
script's wrong passwords or lockout must not lock the next one out. The throttle itself is the
production one."""

import os

from xinfang.platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The server shares the test process's database, and so its keys: the local defaults. With DEBUG
# off they would stop start-up (platform/safety.py); this module is only ever a test server's.
DEVELOPMENT_SECRETS = {name: () for name in DEVELOPMENT_SECRETS}  # noqa: F405

_AXES_PREFIX = os.environ.get("XINFANG_E2E_AXES_PREFIX", "e2e-axes")
# The server's other counters (the public site's limits and back-offs, the GraphQL cost budget)
# in a namespace of this run's: they outlive it in Redis (a day for wrong query codes), and every
# script comes from 127.0.0.1, so a second run the same day would start throttled.
_DEFAULT = {**CACHES["default"]}  # noqa: F405
_DEFAULT["KEY_PREFIX"] = os.environ.get("XINFANG_E2E_CACHE_PREFIX", _DEFAULT["KEY_PREFIX"])
CACHES = {"default": _DEFAULT, "axes": {**_DEFAULT, "KEY_PREFIX": _AXES_PREFIX}}
AXES_CACHE = "axes"

# Static files from the finders, as the rest of the suite (tests/conftest.py): the petitioners'
# pages name their CSS and script with `{% static %}`, which the production storage resolves
# through collectstatic's manifest (tests/security/test_production.py runs that way).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
