"""The demo hierarchy: Zhejiang province, two cities, three counties, each at its own host name."""

from xinfang.platform.holidays.services import ensure_calendar
from xinfang.tenants.models import Office
from xinfang.tenants.provisioning import OfficeSpec, ensure_platform, provision_office

DEMO_OFFICES = [
    OfficeSpec("330000", "浙江省信访局", "province", None, "zhejiang.localhost"),
    OfficeSpec("330100", "杭州市信访局", "city", "330000", "hangzhou.localhost"),
    OfficeSpec("330106", "杭州市西湖区信访局", "county", "330100", "xihu.localhost"),
    OfficeSpec("330110", "杭州市余杭区信访局", "county", "330100", "yuhang.localhost"),
    OfficeSpec("330200", "宁波市信访局", "city", "330000", "ningbo.localhost"),
    OfficeSpec("330212", "宁波市鄞州区信访局", "county", "330200", "yinzhou.localhost"),
]


def seed_offices() -> list[Office]:
    """Create the demo offices that do not exist yet, with the national holiday calendar loaded
    through the deadlines they will compute; return all of them."""
    ensure_platform()
    ensure_calendar()
    existing = {o.code: o for o in Office.objects.offices()}
    return [existing.get(spec.code) or provision_office(spec) for spec in DEMO_OFFICES]
