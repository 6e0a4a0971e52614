"""The browser tests' web server: the real settings, with the cheap password hasher the rest of
the suite uses (PBKDF2 costs a second per login on this machine, and the scripts log in often)."""

from xinfang.platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
