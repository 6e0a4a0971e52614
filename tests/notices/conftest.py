import pytest

from tests import factories
from xinfang.platform.cases.services import PetitionerInput


@pytest.fixture
def staff(db, offices, in_office):
    """Officers of Xihu by role (in the test's transaction)."""
    with in_office("xihu"):
        return {
            "registrar": factories.officer(roles=("registrar",)),
            "leader": factories.officer(roles=("leader",)),
            "handler": factories.officer(roles=("handler",)),
        }


def person(**fields) -> PetitionerInput:
    """A petitioner reachable by e-mail only, unless told otherwise."""
    return PetitionerInput(
        **{"name": "李四", "id_number": factories.id_number(), "email": "lisi@example.com",
           **fields}
    )  # fmt: skip


@pytest.fixture(scope="session")
def sms_provider():
    from tests.support.sms_provider import SmsProvider

    provider = SmsProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def sms(sms_provider, settings):
    """SMS notices configured, to the local provider, emptied for this test."""
    from tests.support import sms_provider as account

    settings.XINFANG_SMS_PROVIDER = "aliyun"
    settings.XINFANG_SMS_ENDPOINT = sms_provider.endpoint
    settings.XINFANG_SMS_ACCESS_KEY_ID = account.ACCESS_KEY_ID
    settings.XINFANG_SMS_ACCESS_KEY_SECRET = account.ACCESS_KEY_SECRET
    settings.XINFANG_SMS_SIGN_NAME = account.SIGN_NAME
    settings.XINFANG_SMS_TEMPLATE = "SMS_100000001"
    settings.XINFANG_SMS_TEMPLATE_REGISTERED = "SMS_100000002"
    sms_provider.clear()
    return sms_provider
