"""Valid domain objects for tests, built through the real services."""

import itertools

from xinfang.platform.accounts.models import Officer
from xinfang.platform.cases.idnumbers import check_digit
from xinfang.platform.cases.services import PetitionerInput, PetitionInput, petition_register

_serial = itertools.count(1)


def id_number(birth: str = "19800101", region: str = "330106") -> str:
    """A valid GB 11643 number, different on each call."""
    first17 = f"{region}{birth}{next(_serial) % 1000:03d}"
    return first17 + check_digit(first17)


def officer(username: str = "", roles=("registrar",), password: str = "officer-pass-123"):
    """An officer of the current office."""
    username = username or f"officer{next(_serial)}"
    return Officer.objects.create_user(username, password=password, roles=list(roles))


def petition(officer=None, petitioners=None, idempotency_key="", **fields):
    """Register a petition in the current office; returns (petition, query_code)."""
    data = {
        "channel": "visit",
        "category": "01.01",
        "place": "杭州市西湖区转塘街道",
        "content": "村里征地拆迁补偿款一直没有发放到位，多次反映无果。",
        "request": "按标准足额发放补偿款",
        **fields,
    }
    people = petitioners or [
        PetitionerInput(name="张三", id_number=id_number(), phone="13800000000")
    ]
    return petition_register(
        data=PetitionInput(petitioners=people, **data),
        officer=officer,
        idempotency_key=idempotency_key,
    )
