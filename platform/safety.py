"""Refusing to run unsafe: with `DEBUG` off, no secret may be missing or left at its local default.

The local defaults make `make run` and the tests work out of the box; in production each of them
would give something away (sessions can be forged with the secret key, ID numbers decrypted with
the field keys, recovered from `person_key` with the person-key secret in a fraction of a second,
query codes checked offline with the query-code key). So the WSGI/ASGI application and the Celery
worker refuse to start, and `manage.py check` (run by `runserver` and `migrate` too) reports an
error naming each variable.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

# variable -> the setting it fills; the local default of each is in settings.DEVELOPMENT_SECRETS.
SECRET_VARIABLES = {
    "DJANGO_SECRET_KEY": "SECRET_KEY",
    "XINFANG_FIELD_KEYS": "XINFANG_FIELD_KEYS",
    "XINFANG_PERSON_KEY_SECRET": "XINFANG_PERSON_KEY_SECRET",
    "XINFANG_QUERY_CODE_KEY": "XINFANG_QUERY_CODE_KEY",
}


def unsafe_secrets() -> list[str]:
    """The variables whose secret is missing, empty or one of the published local defaults."""
    unsafe = []
    for variable, name in SECRET_VARIABLES.items():
        value = getattr(settings, name)
        values = value if isinstance(value, list | tuple) else [value]
        default = settings.DEVELOPMENT_SECRETS[name]
        defaults = default if isinstance(default, list | tuple) else [default]
        if not any(v.strip() for v in values) or set(values) & set(defaults):
            unsafe.append(variable)
    return unsafe


def _message(variables: list[str]) -> str:
    return (
        f"{', '.join(variables)} not set (or left at the local default) while DJANGO_DEBUG is "
        "off: set each to a secret of its own (see README, Production), or DJANGO_DEBUG=1 "
        "on a developer's machine."
    )


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured, naming the variables, when a production start is unsafe."""
    if settings.DEBUG:
        return
    unsafe = unsafe_secrets()
    if unsafe:
        raise ImproperlyConfigured(_message(unsafe))


@register("security")
def default_secrets_check(app_configs=None, **kwargs):
    """`manage.py check` (and `check --deploy`): every default secret is an error without DEBUG."""
    if settings.DEBUG:
        return []
    return [
        Error(
            f"{variable} is missing or left at its local default.",
            hint=_message([variable]),
            id="xinfang.E001",
        )
        for variable in unsafe_secrets()
    ]
