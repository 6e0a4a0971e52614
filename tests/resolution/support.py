"""Petitions brought to a state through the real services, for resolution tests."""

import datetime

import pytest
from django.utils import timezone

from tests.cases.support import petition_at
from xinfang.platform.cases import services as cases_services
from xinfang.platform.errors import ServiceError
from xinfang.platform.resolution import services


def code_of(call, *args, **kwargs) -> str:
    """The stable code of the typed error `call(*args, **kwargs)` must raise."""
    with pytest.raises(ServiceError) as error:
        call(*args, **kwargs)
    return error.value.code


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def replied(staff, **fields):
    """A petition of the current office with its written opinion."""
    return petition_at("replied", officers=staff, **fields)


def evaluate(petition, staff, satisfaction):
    return cases_services.petition_evaluate(
        petition=petition, officer=staff["registrar"], satisfaction=satisfaction
    )


def hard_case_open(staff, petition, **fields):
    """包案 of a repeat petition by Xihu's leader, taking charge himself for 30 days; `fields`
    change any of that (a refusal test names just the one it gets wrong)."""
    return services.hard_case_open(
        **{
            "officer": staff["leader"],
            "petition": petition,
            "reason": "repeat",
            "leader": staff["leader"],
            "plan": "包案",
            "target_date": in_days(30),
            **fields,
        }
    )
