"""What clients may send, declared once and enforced wherever data comes in.

- **Lengths** come from the models and nowhere else: a text's limit is its field's `max_length`.
  `max_length(Petition, "place")` reads it (for a form, a view, a description); `check_instance`,
  connected to `pre_save` of every xinfang model, enforces it on every save, whoever saves
  (GraphQL, the admin, a command, the petitioners' site): `TOO_LONG`, naming the field as
  the API spells it (`idempotencyKey`), with `extensions.maxLength`. `bulk_create` sends no
  `pre_save`: its rows go through `checked(rows)`.
- **Characters**: NUL, the other control characters except tab, line feed and carriage return,
  and lone surrogates are refused with `INVALID_CHARACTERS` (PostgreSQL refuses NUL with an
  error of its own, and the rest have no business in a petition). `clean_text` checks one value;
  `check_strings` a whole structure, such as a GraphQL request's variables, before anything runs.
- **Numbers** beyond what a model's integer column holds: `VALUE_OUT_OF_RANGE`.
- **Null texts**: a client's explicit `null` for an optional text is stored as no text ("", as
  Django keeps texts); for a required one it is `REQUIRED`.

A view that takes input outside GraphQL calls `clean_text(value, field=..., max_length=
max_length(Model, "field"))` for each text it keeps, and gets the same typed errors.
"""

import re
from collections.abc import Iterator

from django.db import connection, models

from xinfang.platform.errors import ErrorCode, ValidationError

# C0 controls but tab, LF and CR; DEL and the C1 controls; lone surrogates (not encodable).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
PROJECT_MODULE = "xinfang."
# Texts as stored (a UUIDField's max_length is its hex form, not the string it is given).
TEXT_FIELDS = (models.CharField, models.TextField)


class TextTooLong(ValidationError):
    code = ErrorCode.TOO_LONG


class InvalidCharacters(ValidationError):
    code = ErrorCode.INVALID_CHARACTERS


class ValueOutOfRange(ValidationError):
    code = ErrorCode.VALUE_OUT_OF_RANGE


def api_name(name: str) -> str:
    """A model field's name as the API spells its argument: `idempotency_key` → `idempotencyKey`."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def max_length(model: type[models.Model], field: str) -> int | None:
    """The one declaration of a text's length: its model field's `max_length`."""
    return model._meta.get_field(field).max_length


def clean_text(value: str, *, field: str, max_length: int | None = None) -> str:
    """`value`, once it holds no control character and fits `max_length` (else a typed error)."""
    if FORBIDDEN_CHARACTERS.search(value):
        raise InvalidCharacters(
            f"{field} holds a control character (NUL, escape, …); remove it", field=field
        )
    if max_length is not None and len(value) > max_length:
        raise TextTooLong(
            f"{field} is {len(value)} characters long; at most {max_length}",
            field=field,
            maxLength=max_length,
        )
    return value


def check_strings(value, *, field: str) -> None:
    """Refuse a control character in any string of a nested structure (a request's variables)."""
    for path, text in _strings(value, field):
        clean_text(text, field=path)


def _strings(value, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, path)


def check_instance(instance: models.Model) -> None:
    """Every text and number of a row about to be saved, against its own field's limits."""
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.AutoField | models.BigAutoField):
            continue
        value = getattr(instance, model_field.attname)
        field = api_name(model_field.name)
        if value is None:
            _check_null(instance, model_field, field)
            continue
        if isinstance(value, str) and isinstance(model_field, TEXT_FIELDS):
            clean_text(value, field=field, max_length=model_field.max_length)
        elif isinstance(value, int) and isinstance(model_field, models.IntegerField):
            _check_range(value, model_field, field)
        elif isinstance(value, list) and isinstance(
            getattr(model_field, "base_field", None), TEXT_FIELDS
        ):  # an ArrayField of texts
            for item in value:
                if isinstance(item, str):
                    clean_text(item, field=field, max_length=model_field.base_field.max_length)
        elif isinstance(value, dict | list):  # JSON: PostgreSQL refuses a NUL in jsonb
            check_strings(value, field=field)


def _check_null(instance: models.Model, model_field, field: str) -> None:
    """A client's explicit `null` for a text: no text if the field may be blank, else REQUIRED
    (a NOT NULL column would refuse it with an error of PostgreSQL's own)."""
    if model_field.null or not isinstance(model_field, TEXT_FIELDS):
        return
    if not model_field.blank:
        raise ValidationError(f"{field} is required", code=ErrorCode.REQUIRED, field=field)
    setattr(instance, model_field.attname, "")


def checked(instances):
    """The rows of a `bulk_create` (which sends no `pre_save`), each checked like a save."""
    instances = list(instances)
    for instance in instances:
        check_instance(instance)
    return instances


def _check_range(value: int, model_field: models.IntegerField, field: str) -> None:
    low, high = connection.ops.integer_field_range(model_field.get_internal_type())
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueOutOfRange(f"{field} must lie between {low} and {high}", field=field)


def guard_saves(sender, instance, raw=False, **_kwargs) -> None:
    """`pre_save` receiver: the limits above for every model of this project (fixtures aside)."""
    if not raw and sender.__module__.startswith(PROJECT_MODULE):
        check_instance(instance)
