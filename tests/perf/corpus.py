# ruff: noqa: E501, SIM905  (phrase tables: one fact per line reads better than wrapped)
"""A labelled synthetic corpus of Chinese petitions for measuring repeat and collective detection.

Each *matter* (one problem at one place, about one body) is written by people; every petition is
rendered from its topic's facts with a randomly chosen phrasing per fact, facts partly reordered,
sometimes a sentence added or left out, and the place written with or without its province, city,
district and street — so two petitions on one matter never read the same. The corpus holds:

- repeats by the same person, reworded, at the county, then the city, then the province;
- repeats of the same matter by relatives (other people, same place and body);
- collective groups: 5–12 people about one matter within a few days, at offices of one city;
- decoys: small groups (2–3 people) and slow groups (5 people over two months), which are not
  collective; unrelated petitions on the same topics in other places (similar wording!);
- a few people who petition about two different matters.

Documents have the index's shape (search/documents.py): fake HMAC keys, and the facts production
extracts (search/facts.py); labels say which person wrote each petition, which matter it is about
and which collective group it belongs to.
`python -m tests.perf.corpus --count 1000` prints a sample.
"""

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from xinfang.search import analysis, facts

PROVINCE = ("330000", "浙江省")
CITIES = {
    "330100": ("杭州市", {"330102": "上城区", "330105": "拱墅区", "330106": "西湖区",
                          "330108": "滨江区", "330109": "萧山区", "330110": "余杭区"}),
    "330200": ("宁波市", {"330203": "海曙区", "330205": "江北区", "330212": "鄞州区",
                          "330213": "奉化区"}),
    "330300": ("温州市", {"330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区"}),
    "330400": ("嘉兴市", {"330402": "南湖区", "330411": "秀洲区"}),
}  # fmt: skip
STREET_WORDS = "转塘 三墩 留下 蒋村 古荡 文新 翠苑 北山 灵隐 西溪 五常 仓前 良渚 闲林 瓶窑 塘栖 东湖 首南 潘火 下应 钟公庙 姜山 五乡 横溪 莫干山 新塘 城厢 北干 蜀山 瓜沥 临浦 浦阳 义桥 河庄 南阳 白鹿 滨海 状元 梧田 三垟 茶山 仙岩 娄桥 七都 新城 东栅 王江泾 洪合 新塍 油车港 凤桥 余新 大桥".split()
UNIT_SYLLABLES = "龙 坞 桥 溪 塘 山 湾 泉 林 枫 桂 梅 竹 松 柳 荷 兰 青 绿 金 银 碧 翠 锦 华 庆 安 康 宁 和 福 瑞 祥 丰 盛 兴 旺 隆 泰 新 光 明 星 月 春 秋 阳 云 霞 景 苑 园 庭 岸 港 湖 江 河 浦 渡 洲 岛".split()
UNIT_KINDS = ["村", "社区", "小区", "花园", "家园", "新村", "公寓"]
BODY_KINDS = [
    "建设工程有限公司", "房地产开发有限公司", "物业服务有限公司", "化工有限公司", "纺织有限公司",
    "劳务有限公司", "环保科技有限公司", "机械制造有限公司", "餐饮管理有限公司", "建材有限公司",
]  # fmt: skip
PUBLIC_BODIES = ["街道办事处", "镇人民政府", "村民委员会", "社区居民委员会", "中心小学", "人民医院"]

# A topic: its category, what kind of body, and facts, each with several phrasings.
TOPICS = [
    ("01.01", "public", [
        ["我是{unit}的村民", "本人系{unit}村民", "我们是{unit}的村民", "我家住在{unit}"],
        ["{year}年村里的土地被征收用于{project}建设", "{year}年{project}项目征用了我们村的土地",
         "因为{project}建设，{year}年我家承包地被征收", "{year}年我们村的地被征去搞{project}"],
        ["补偿款{amount}万元至今没有发放到位", "应得的{amount}万元补偿款到现在还没拿到",
         "征地补偿款{amount}万元一直拖欠未付", "{amount}万元的补偿到今天一分没给"],
        ["{body}一直推诿", "找{body}多次都说再等等", "{body}对此不闻不问", "{body}互相踢皮球"],
        ["多次反映无果", "反映了很多次都没有结果", "已经反映过几次问题始终没有解决"],
        ["请求上级督促尽快发放补偿款", "要求按标准足额发放补偿", "希望政府帮助解决补偿问题"],
    ]),
    ("02.01", "company", [
        ["我们是在{unit}{project}工地干活的农民工", "本人在{unit}附近的{project}工地打工",
         "我们一批工人在{unit}的{project}项目上做工"],
        ["{body}拖欠我们{months}个月工资共{amount}万元", "{body}欠薪{months}个月，合计{amount}万元",
         "{months}个月的工资{amount}万元{body}一直不给"],
        ["老板失联电话打不通", "包工头跑了找不到人", "公司说资金困难让再等"],
        ["劳动监察部门来过一次就没有下文", "向劳动监察投诉后没有进展", "找过劳动保障所没有解决"],
        ["马上过年了家里等着用钱", "家里老人看病急需用钱", "孩子上学的学费都交不起"],
        ["请求帮助追讨欠薪", "要求{body}立即支付拖欠工资", "希望政府出面帮我们讨回工钱"],
    ]),
    ("01.03", "company", [
        ["我是{unit}的业主", "本人住在{unit}", "我们是{unit}的居民"],
        ["{body}从{year}年起物业费上涨了一倍", "{body}擅自提高物业费标准", "{year}年以来{body}乱收费"],
        ["小区电梯经常坏没人修", "电梯故障多次困人物业不管", "楼道灯坏了几个月也不修"],
        ["公共收益去向不明从不公示", "停车费收入从来不公开", "维修基金使用情况不公示"],
        ["业主多次找物业都没有回应", "向社区反映过几次没有结果", "物业态度恶劣拒不解决"],
        ["请求主管部门查处{body}", "要求更换物业公司", "希望有关部门督促整改"],
    ]),
    ("05.03", "company", [
        ["我们住在{unit}", "本人系{unit}居民", "我家在{unit}"],
        ["附近{body}的工厂日夜生产噪声很大", "{body}车间机器轰鸣昼夜不停", "{body}夜间施工噪声扰民"],
        ["晚上十点以后还在开工", "凌晨两三点还有噪声", "周末也不停工"],
        ["老人孩子整夜睡不着", "居民休息受到严重影响", "很多人失眠神经衰弱"],
        ["环保部门来测过但没有处理", "投诉到环保热线没有效果", "打过12345多次无果"],
        ["要求{body}停止夜间生产", "请求环保部门依法查处", "希望尽快解决噪声污染"],
    ]),
    ("05.02", "company", [
        ["我是{unit}的村民", "我们世代住在{unit}", "本人家住{unit}"],
        ["{body}把污水直接排进村边的河里", "{body}偷排废水污染了河道", "{body}的排污口就在{unit}旁边"],
        ["河水发黑发臭鱼都死了", "河里的水又黑又臭", "水里漂着死鱼臭气熏天"],
        ["村里的庄稼用这水灌溉都减产了", "井水也有异味不能喝了", "不少村民皮肤过敏"],
        ["村委会说管不了", "反映到环保局后只是罚了款", "{year}年就反映过至今没有整改"],
        ["要求关停{body}", "请求彻查{body}违法排污", "希望还我们一条清水河"],
    ]),
    ("01.05", "company", [
        ["我是{unit}的业主", "本人在{unit}买了房", "我们是{unit}的购房户"],
        ["{year}年交房后发现墙体开裂", "房子交付不到两年就多处开裂渗水", "{year}年入住后屋顶漏水墙面开裂"],
        ["开发商{body}拒绝维修", "{body}说已过保修期不管", "{body}推给施工单位处理"],
        ["下雨天家里到处漏水", "裂缝越来越大担心安全", "墙皮脱落没法居住"],
        ["住建部门来看过没有下文", "质监站说要我们自己鉴定", "多次找{body}都没有结果"],
        ["要求{body}承担维修责任", "请求对房屋质量进行鉴定", "希望主管部门督促整改"],
    ]),
    ("07.01", "public", [
        ["我家住在{unit}", "我们是{unit}的居民", "本人户籍在{unit}"],
        ["孩子今年该上小学了", "{year}年孩子到了入学年龄", "孩子今年九月要上一年级"],
        ["{body}说学区名额已满不给入学", "按学区应该就读{body}却被拒收", "{body}以户籍时间不够为由拒绝"],
        ["同小区其他孩子都能入学", "政策上写明可以就近入学", "我们材料齐全符合条件"],
        ["找教育局也没有答复", "打电话问了很多次都在推", "已经反映过还是没解决"],
        ["请求保障孩子就近入学", "要求{body}按政策接收", "希望教育部门尽快解决"],
    ]),
    ("06.01", "public", [
        ["我父亲在{body}住院治疗", "{year}年我母亲在{body}做手术", "我家人在{body}就医"],
        ["手术后出现严重并发症", "因误诊耽误了治疗", "术后感染导致病情加重"],
        ["医院拒绝承认有过错", "{body}不肯提供完整病历", "医院只同意赔{amount}万元"],
        ["前后花了医药费{amount}万元", "家里为看病已经负债{amount}万", "病人现在生活不能自理"],
        ["卫健委调解没有结果", "找医院协商多次不成", "医调委来过但没有下文"],
        ["要求进行医疗事故鉴定", "请求{body}依法赔偿", "希望上级部门主持公道"],
    ]),
]  # fmt: skip
PROJECTS = [
    "道路拓宽",
    "工业园区",
    "高铁站",
    "物流园",
    "安置房",
    "污水处理厂",
    "学校扩建",
    "商业综合体",
]
FILLERS = [
    "情况属实。", "恳请领导重视。", "以上情况请领导明察。", "我们实在没有办法了。",
    "这件事已经拖了很久。", "周边群众意见很大。", "我们是普通老百姓。", "请领导为民做主。",
]  # fmt: skip


@dataclass
class Matter:
    key: str
    category: str
    topic: list
    slots: dict
    district_code: str
    city_code: str
    place_full: str  # 浙江省杭州市西湖区转塘街道龙坞村
    place_variants: list[str]
    body: str


@dataclass
class Labelled:
    doc: dict  # the index document
    person: str  # who wrote it (labels only)
    matter: str
    group: str | None = None  # collective group label


@dataclass
class Corpus:
    items: list[Labelled] = field(default_factory=list)
    groups: dict[str, set[str]] = field(default_factory=dict)  # label -> petition ids


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


class Generator:
    def __init__(self, seed: int = 7, start: datetime | None = None):
        self.rng = random.Random(seed)
        self.start = start or datetime(2026, 1, 1, tzinfo=UTC)
        self.counter = 0
        self.corpus = Corpus()
        self.used_units: set[tuple[str, str]] = set()

    # --- building blocks ------------------------------------------------------------------------

    def _unit(self, district: str) -> tuple[str, str]:
        attempt = 0
        while True:
            street = self.rng.choice(STREET_WORDS) + self.rng.choice(["街道", "镇"])
            syllables = 2 if attempt < 5 else 3  # longer names once two syllables run out
            name = "".join(self.rng.sample(UNIT_SYLLABLES, syllables)) + self.rng.choice(UNIT_KINDS)
            if attempt >= 10:
                name += f"{self.rng.randint(1, 99)}期"
            if (district, name) not in self.used_units:
                self.used_units.add((district, name))
                return street, name
            attempt += 1

    def matter(self, topic_index: int | None = None, city_code: str | None = None) -> Matter:
        rng = self.rng
        category, body_kind, facts = TOPICS[
            topic_index if topic_index is not None else rng.randrange(len(TOPICS))
        ]
        city_code = city_code or rng.choice(list(CITIES))
        city, districts = CITIES[city_code]
        district_code = rng.choice(list(districts))
        district = districts[district_code]
        street, unit = self._unit(district_code)
        body_root = "".join(rng.sample(UNIT_SYLLABLES, 2))
        if body_kind == "company":
            body = f"{city[:-1]}{body_root}{rng.choice(BODY_KINDS)}"
        else:
            street_name = street[:-2] if street.endswith("街道") else street[:-1]
            body = f"{street_name}{rng.choice(PUBLIC_BODIES)}"
            body = body_root + body if rng.random() < 0.3 else body
        full = f"{PROVINCE[1]}{city}{district}{street}{unit}"
        variants = [
            full,
            f"{city}{district}{street}{unit}",
            f"{district}{street}{unit}",
            f"{street}{unit}",
        ]
        slots = {
            "unit": unit,
            "body": body,
            "year": rng.choice(range(2019, 2026)),
            "amount": rng.choice(range(2, 90)),
            "months": rng.choice(range(2, 13)),
            "project": rng.choice(PROJECTS),
        }
        self.counter += 1
        return Matter(
            key=f"m{self.counter}",
            category=category,
            topic=facts,
            slots=slots,
            district_code=district_code,
            city_code=city_code,
            place_full=full,
            place_variants=variants,
            body=body,
        )

    def render(self, matter: Matter) -> str:
        rng = self.rng
        sentences = [rng.choice(options).format(**matter.slots) for options in matter.topic]
        middle = sentences[1:-1]
        rng.shuffle(middle)
        if len(middle) > 3 and rng.random() < 0.3:
            middle.pop(rng.randrange(len(middle)))
        sentences = [sentences[0], *middle, sentences[-1]]
        text = "，".join(sentences) + "。"
        if rng.random() < 0.5:
            text += rng.choice(FILLERS)
        return text

    def person(self) -> dict:
        self.counter += 1
        pid = f"p{self.counter}"
        return {"id": pid, "person_key": _key("id", pid), "phone_key": _key("phone", pid)}

    def petition(
        self,
        matter: Matter,
        people: list[dict],
        when: datetime,
        level: str,
        *,
        group: str | None = None,
    ) -> Labelled:
        rng = self.rng
        if level == "county":
            office, ancestors = matter.district_code, [PROVINCE[0], matter.city_code]
        elif level == "city":
            office, ancestors = matter.city_code, [PROVINCE[0]]
        else:
            office, ancestors = PROVINCE[0], []
        self.counter += 1
        petition_id = str(uuid.UUID(int=rng.getrandbits(128)))
        place = rng.choice(matter.place_variants)
        with_body = rng.random() < 0.85
        content = self.render(matter)
        body = matter.body if with_body else ""
        doc = {
            "petition_id": petition_id,
            "matter_id": str(uuid.UUID(int=rng.getrandbits(128))),
            "reference": f"{office}-{when.year}-{self.counter:06d}",
            "office_code": office,
            "office_level": level,
            "province_code": PROVINCE[0],
            "ancestor_codes": ancestors,
            "viewer_codes": [office],
            "channel": rng.choice(["letter", "visit", "online", "phone", "mailbox"]),
            "category": matter.category,
            "category_group": matter.category.split(".")[0],
            "status": rng.choice(["registered", "accepted", "in_handling", "replied", "closed"]),
            "registered_at": when.isoformat(),
            "updated_at": when.isoformat(),
            "version": 1,
            "person_keys": sorted({p["person_key"] for p in people}),
            "phone_keys": sorted({p["phone_key"] for p in people}),
            "identity_keys": [],  # fake person keys stand for every way a person is recognised
            "household_keys": [],
            "name_keys": [],
            "kin_keys": [],
            "facts": facts.extract(content=content, place=place, accused_body=body).keywords(),
            "petitioner_count": len(people),
            "place": place,
            "place_code": matter.district_code,
            "place_key": analysis.place_key(place),
            "accused_body": body,
            "body_key": analysis.body_key(body),
            "content": content,
            "request": "",
            "is_repeat": False,
            "is_collective": len(people) > 1,
            "is_skip_level": False,
            "is_accusation": False,
            "repeat_of_matter": None,
            "source_office_code": "",
        }
        item = Labelled(doc=doc, person=people[0]["id"], matter=matter.key, group=group)
        self.corpus.items.append(item)
        if group:
            self.corpus.groups.setdefault(group, set()).add(petition_id)
        return item

    def when(self, days: float = 330) -> datetime:
        return self.start + timedelta(days=self.rng.uniform(0, days), minutes=self.rng.random())

    # --- scenarios ------------------------------------------------------------------------------

    def unrelated(self, count: int) -> None:
        """Single petitions, each its own matter (many on the same topics, elsewhere)."""
        for _ in range(count):
            matter = self.matter()
            level = self.rng.choices(["county", "city", "province"], [6, 3, 1])[0]
            self.petition(matter, [self.person()], self.when(), level)

    def repeats_by_one_person(self, count: int) -> None:
        """The same person goes county -> city -> province, rewording each time."""
        for _ in range(count):
            matter, who = self.matter(), self.person()
            when = self.when(250)
            for level in ["county", "city", "province"][: self.rng.choice([2, 3])]:
                self.petition(matter, [who], when, level)
                when += timedelta(days=self.rng.uniform(10, 45))

    def repeats_by_relatives(self, count: int) -> None:
        """A petitioner, then a relative (another person) on the same matter, at higher levels."""
        for _ in range(count):
            matter = self.matter()
            when = self.when(250)
            people = [self.person() for _ in range(self.rng.choice([2, 3]))]
            for i, who in enumerate(people):
                self.petition(matter, [who], when, ["county", "city", "province"][i])
                when += timedelta(days=self.rng.uniform(10, 60))

    def collective_groups(self, count: int) -> None:
        """5–12 people on one matter within a few days, at the county and the city."""
        for g in range(count):
            matter = self.matter()
            label = f"g{g}"
            start = self.when(300)
            for _ in range(self.rng.randint(5, 12)):
                when = start + timedelta(days=self.rng.uniform(0, 5))
                level = self.rng.choices(["county", "city"], [3, 1])[0]
                self.petition(matter, [self.person()], when, level, group=label)

    def joint_letters(self, count: int) -> None:
        """One petition signed by 5–8 people (联名信): a collective group on its own."""
        for g in range(count):
            matter = self.matter()
            people = [self.person() for _ in range(self.rng.randint(5, 8))]
            self.petition(matter, people, self.when(), "county", group=f"j{g}")

    def decoys(self, count: int) -> None:
        """Not collective: 2–3 people within days; 5 people spread over two months."""
        for i in range(count):
            matter = self.matter()
            start = self.when(250)
            if i % 2:
                for _ in range(self.rng.choice([2, 3])):
                    when = start + timedelta(days=self.rng.uniform(0, 5))
                    self.petition(matter, [self.person()], when, "county")
            else:
                for k in range(5):
                    when = start + timedelta(days=15 * k + self.rng.uniform(0, 3))
                    self.petition(matter, [self.person()], when, "county")

    def two_matters_one_person(self, count: int) -> None:
        for _ in range(count):
            who = self.person()
            for _ in range(2):
                self.petition(self.matter(), [who], self.when(), "county")


def generate(scale: int = 1, seed: int = 7) -> Corpus:
    """About 3,000 petitions per unit of scale, every scenario in proportion."""
    gen = Generator(seed=seed)
    gen.unrelated(1600 * scale)
    gen.repeats_by_one_person(150 * scale)
    gen.repeats_by_relatives(100 * scale)
    gen.collective_groups(30 * scale)
    gen.joint_letters(10 * scale)
    gen.decoys(40 * scale)
    gen.two_matters_one_person(30 * scale)
    gen.corpus.items.sort(key=lambda item: item.doc["registered_at"])
    return gen.corpus


def stream_documents(count: int, seed: int = 11):
    """`count` index documents for the benchmark, generated lazily (constant memory)."""
    gen = Generator(seed=seed)
    produced = 0
    while produced < count:
        gen.corpus.items.clear()
        gen.unrelated(700)
        gen.repeats_by_one_person(60)
        gen.repeats_by_relatives(40)
        gen.collective_groups(6)
        for item in gen.corpus.items[: count - produced]:
            yield item.doc
            produced += 1


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    for item in generate().items[: args.count]:
        doc = item.doc
        print(item.matter, item.person, item.group or "-", doc["place"], doc["content"])
