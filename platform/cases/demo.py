"""Demo officers and petitions for an office, created through the services (`manage.py seed_demo`).

Every office gets the same officer usernames (each office has its own officer table), all with the
password `xinfang-demo`: registrar, leader, handler, handler2, supervisor, admin. Running it again
adds nothing that exists already.
"""

import random

from django.db import connection

from xinfang.platform.accounts.models import Officer
from xinfang.platform.accounts.services import officer_create
from xinfang.platform.cases import services, taxonomy
from xinfang.platform.cases.idnumbers import check_digit
from xinfang.platform.cases.models import Channel, Petition

DEMO_PASSWORD = "xinfang-demo"
DEMO_OFFICERS = {
    "registrar": ("登记员 小王", ["registrar"]),
    "leader": ("信访局 李局长", ["leader"]),
    "handler": ("承办人 张科员", ["handler"]),
    "handler2": ("承办人 刘科员", ["handler"]),
    "supervisor": ("督查员 陈督查", ["supervisor"]),
    "admin": ("系统管理员", ["admin"]),
}

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = ["建国", "秀英", "志强", "桂兰", "海燕", "国华", "丽娟", "文斌", "春梅", "德明"]
_TEXTS = {
    "01": ("村里征地补偿款未按标准发放，多次反映没有结果。", "按标准足额发放补偿款"),
    "02": ("在建筑工地务工，老板拖欠三个月工资至今未付。", "督促用人单位支付欠薪"),
    "03": ("小区旁边的工厂夜间排放刺鼻气体，影响居民休息。", "查处违法排污行为"),
}
_DEFAULT_TEXT = ("反映的问题长期得不到解决，请求有关部门依法处理。", "依法处理并答复")


def seed_demo_officers() -> dict[str, Officer]:
    """The demo officers of the current office, created if missing."""
    officers = {}
    for username, (full_name, roles) in DEMO_OFFICERS.items():
        officer = Officer.objects.filter(username=username).first()
        if officer is None:
            officer = officer_create(
                by=None, username=username, password=DEMO_PASSWORD, roles=roles,
                full_name=full_name,
            )  # fmt: skip
        officers[username] = officer
    return officers


def _id_number(rng: random.Random, region: str) -> str:
    first17 = f"{region}{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 += f"{rng.randint(0, 999):03d}"
    return first17 + check_digit(first17)


def seed_demo_petitions(*, count: int = 30) -> int:
    """About `count` petitions in varied channels, categories and workflow states; returns how
    many were created (none when the office already has that many)."""
    existing = Petition.objects.count()
    if existing >= count:
        return 0
    office = connection.tenant
    staff = seed_demo_officers()
    rng = random.Random(office.code)
    categories = sorted(taxonomy.names())
    made = 0
    for i in range(existing, count):
        category = rng.choice(categories)
        content, request = _TEXTS.get(category[:2], _DEFAULT_TEXT)
        people = [
            services.PetitionerInput(
                name=rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                id_number=_id_number(rng, office.code),
                phone=f"13{rng.randint(100000000, 999999999)}",
                address=f"{office.name.removesuffix('信访局')}某街道{rng.randint(1, 99)}号",
                is_representative=k == 0 and i % 10 == 0,
            )
            for k in range(3 if i % 10 == 0 else 1)
        ]
        petition = services.petition_register(
            data=services.PetitionInput(
                channel=rng.choice(Channel.values), category=category,
                place=f"{office.name.removesuffix('信访局')}", content=content, request=request,
                petitioners=people,
            ),
            officer=staff["registrar"],
        ).petition  # fmt: skip
        _advance(petition, staff, stage=i % 8)
        made += 1
    return made


def _advance(petition, staff, *, stage: int) -> None:
    """Walk a petition some way through the workflow, as the office would."""
    if stage == 0:
        return
    if stage == 1:
        services.petition_decline(
            petition=petition, officer=staff["registrar"], reason="属于劳动争议，应申请仲裁",
            redirect_channel="arbitration",
        )  # fmt: skip
        return
    petition = services.petition_route(petition=petition, officer=staff["registrar"])
    if stage == 2:
        return
    petition = services.petition_accept(petition=petition, officer=staff["leader"])
    handler = staff["handler"] if stage % 2 else staff["handler2"]
    petition = services.petition_assign(petition=petition, officer=staff["leader"], handler=handler)
    if stage == 3:
        return
    if stage == 4:
        services.petition_extend(
            petition=petition, officer=staff["leader"], days=30, reason="涉及多个部门，需会商"
        )
        return
    petition = services.petition_reply(
        petition=petition,
        officer=handler,
        opinion="经调查核实，已责成有关部门依法处理，现答复如下。",
    )
    if stage == 5:
        return
    # Closing needs an outcome (四到位): the resolution demo closes evaluated petitions.
    services.petition_evaluate(
        petition=petition, officer=staff["registrar"],
        satisfaction=["satisfied", "basically_satisfied", "dissatisfied"][stage % 3],
    )  # fmt: skip
