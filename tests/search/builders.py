"""Petitions for search tests: each petitioner a distinct person unless a test says otherwise."""

import itertools

from tests import factories
from xinfang.platform.cases.services import PetitionerInput

_phones = itertools.count(13700000001)


def person(name: str = "李四", *, id_number: str | None = None, phone: str | None = None):
    return PetitionerInput(
        name=name,
        id_number=id_number or factories.id_number(),
        phone=phone or str(next(_phones)),
    )


def register_by(*people, **fields):
    """Register a petition in the current office (distinct petitioner by default)."""
    return factories.petition(petitioners=list(people) or [person()], **fields).petition
