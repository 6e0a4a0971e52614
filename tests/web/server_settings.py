"""The browser tests' web server: the real settings, with the cheap password hasher the rest of
the suite uses (PBKDF2 costs a second per login on this machine, and the scripts log in often)."""

from xinfang.platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The server shares the test process's database, and so its keys: the local defaults. With DEBUG
# off they would stop start-up (platform/safety.py); this module is only ever a test server's.
DEVELOPMENT_SECRETS = {name: () for name in DEVELOPMENT_SECRETS}  # noqa: F405
