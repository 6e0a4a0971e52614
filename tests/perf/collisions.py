# ruff: noqa: E501  (phrase tables: one phrasing per entry reads better than wrapped)
"""A harder labelled corpus: petitions that collide the way real ones do (issue 10).

The first corpus (`tests/perf/corpus.py`) gives every matter its own village and its own body, so
"same place or same body" almost decides a repeat. Real petitions do not: one district's pension
complaints all accuse the same social-insurance bureau, one street office is accused about every
village it expropriated, one developer about each of its estates. What tells matters apart is in
the facts — the village and its group, the estate and building, the project, the former employer,
the amounts, the years, the official named — and what tells people apart is not always an ID
number. This generator writes that world, over the six offices of the test fixtures (浙江省,
杭州市, 西湖区, 余杭区, 宁波市, 鄞州区):

- **Districts with shared bodies.** Three districts (西湖, 余杭, 鄞州), each with four streets of
  eight villages and 24 estates, one social-insurance bureau, one education bureau, two
  developers, two property companies, two construction companies, two factories, and a dozen
  former employers. Every matter picks its body from this small pool, so unrelated matters share
  body, district and topic by the dozen, and a street office's land matters differ only by village,
  group, project, year and amount (some even share the village and differ by project and year).
- **Eight topics** (land compensation, pension, wage arrears, property fees, housing quality,
  relocation, school places, pollution), each a list of facts with several phrasings; the stock
  phrases are shared by every petition on the topic, the facts are the matter's own (village,
  project, year, official, employer, estate, school, foreman) or the household's (its group,
  building, amount, area, months of wages: each villager of one action has their own). One
  subject (body + village + project, body + estate, school + estate, ...) holds one matter. A
  petition states most of its matter's facts, in shuffled order, always the one that dates it; the place field is written with or without
  province, city, district and street.
- **People.** A name, an ID number (not always given), a mobile number, a home address. A person
  repeats reworded, going up from the county to the city to the province; later petitions give
  the ID, or only name and phone, or only name and address. Some follow-ups are terse (
  "还是上次那个事，龙坞村的补偿款还是没给").
- **Relatives and neighbours** write about the same matter without ID numbers: a relative shares
  the household's address (sometimes its phone) and often names the earlier petitioner
  ("我父亲王建国去年反映过"); a neighbour shares only the matter's facts.
- **Collective actions** grow over weeks: a first wave of 3–6 people, then more over two to six
  weeks, registered at the county, then the city, some at the province, plus joint letters. Decoys
  are not collective: two or three people about one matter, a slow trickle of five over two
  months, and busy weeks when unrelated people accuse the same bureau within days.
- **Two matters, one person**: the same person about something else (a flag with reason 同一人
  is right, a same-matter link is not).

`generate(seed)` returns `Case`s in registration order: the raw petition (as an officer would
register it: place, place code, accused body, content, petitioners with name/ID/phone/address) and
its labels (person, matter, collective action, how the person identified themselves). The quality
command (`tests/perf/search_quality.py --corpus collisions`) turns each case into the index
document through the real `search.indexing.document_for`, so HMAC keys and extracted facts come
from production code. Seeds 1–6 were used for tuning; quality is reported on 11 to 15.

One subject is one matter, and the generator keeps to it: a subject drawn that is taken is
drawn again, and a world too small for the matters asked of it is an error, never a reuse.
(Until December 2026 the generator reused a subject after 200 failed draws; with eight estates
a street, about half the property matters, a third of the housing and a fifth of the school
matters of a seed were second matters on a taken estate — same estate, same company or
school, often the same year — labelled as different matters. Streets now have 24 estates, so
estates run out nowhere; the hard negatives are as before: the same body and street, another
estate or village, or the same village with another project and year. Likewise a relocation
petition did not always name its project — the fact that tells one village's relocations
apart — though the docstring promised the dating fact; its project sentence now comes first.)
`python -m tests.perf.collisions --count 20` prints a sample.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from xinfang.platform.cases.idnumbers import check_digit

PROVINCE = ("330000", "浙江省")
OFFICES = {  # the six offices of the test fixtures: code -> (level, ancestors)
    "330000": ("province", ()),
    "330100": ("city", ("330000",)),
    "330106": ("county", ("330000", "330100")),
    "330110": ("county", ("330000", "330100")),
    "330200": ("city", ("330000",)),
    "330212": ("county", ("330000", "330200")),
}
DISTRICTS = {  # code -> (city code, city, district, streets)
    "330106": ("330100", "杭州市", "西湖区", ["转塘", "三墩", "留下", "蒋村"]),
    "330110": ("330100", "杭州市", "余杭区", ["仓前", "良渚", "闲林", "瓶窑"]),
    "330212": ("330200", "宁波市", "鄞州区", ["姜山", "五乡", "横溪", "首南"]),
}
SYLLABLES = [
    "兰",
    "龙",
    "坞",
    "桥",
    "溪",
    "塘",
    "湾",
    "泉",
    "枫",
    "桂",
    "梅",
    "竹",
    "松",
    "柳",
    "荷",
    "青",
    "金",
    "银",
    "碧",
    "翠",
    "锦",
    "华",
    "庆",
    "安",
    "康",
    "宁",
    "和",
    "福",
    "瑞",
    "祥",
    "丰",
    "盛",
    "兴",
    "旺",
    "隆",
    "泰",
    "光",
    "明",
    "星",
    "春",
    "秋",
    "阳",
    "云",
    "霞",
    "景",
    "岸",
    "港",
    "湖",
    "江",
    "浦",
    "渡",
    "洲",
    "石",
    "杨",
    "高",
    "沙",
    "东",
    "西",
    "南",
    "北",
]
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "肖",
    "田",
    "董",
    "潘",
    "袁",
    "蒋",
    "蔡",
    "余",
    "杜",
    "叶",
    "程",
    "魏",
    "苏",
    "吕",
    "丁",
    "沈",
]
GIVEN = [
    "建",
    "国",
    "军",
    "伟",
    "华",
    "明",
    "英",
    "芳",
    "秀",
    "兰",
    "强",
    "平",
    "红",
    "林",
    "峰",
    "杰",
    "勇",
    "敏",
    "静",
    "丽",
    "海",
    "波",
    "辉",
    "刚",
    "健",
    "霞",
    "燕",
    "玲",
    "志",
    "忠",
    "德",
    "福",
    "荣",
    "春",
    "桂",
    "凤",
    "文",
    "斌",
    "涛",
]
TITLES = ["主任", "书记", "科长", "经理", "队长", "所长"]
KIN = ["父亲", "母亲", "丈夫", "妻子", "儿子", "女儿", "哥哥", "弟弟", "姐姐"]
PROJECTS = [
    "道路拓宽",
    "工业园区",
    "物流园",
    "污水处理厂",
    "学校扩建",
    "商业综合体",
    "高速互通",
    "湿地公园",
]
EMPLOYER_KINDS = ["纺织厂", "机械厂", "丝绸厂", "化肥厂", "食品厂", "电器厂", "造纸厂", "水泥厂"]
FILLERS = [
    "情况属实。",
    "恳请领导重视。",
    "以上情况请领导明察。",
    "我们实在没有办法了。",
    "请领导为民做主。",
    "",
]
FOLLOW_UPS = [
    "还是上次那个事",
    "还是之前反映的问题",
    "上次反映的事情到现在没有下文",
    "我之前来过，问题一直没解决",
]

# A topic: (category, body kind, facts). Each fact is a list of phrasings; the facts a matter
# has fill the slots. The first fact introduces the petitioner, the last is the request.
TOPICS = {
    "land": ("01.01", "street", [
        ["我是{village}{group}的村民", "本人系{street}{village}{group}村民", "我家是{village}{group}的"],
        ["{year}年村里的土地被征收用于{project}建设", "{year}年{project}项目征用了我们组的土地", "因为{project}项目，{year}年我家承包地被征收"],
        ["征地补偿款{amount}万元至今没有发放到位", "应得的补偿款{amount}万元到现在还没拿到", "{amount}万元的补偿一直拖欠未付"],
        ["找{body}的{official}多次都说再等等", "{body}{official}一直推诿", "{official}说钱已经拨到{body}了"],
        ["多次反映无果", "反映了很多次都没有结果", "问题始终没有解决"],
        ["请求督促{body}尽快发放补偿款", "要求按标准足额发放补偿", "希望政府帮助解决补偿问题"],
    ]),
    "pension": ("02.02", "social", [
        ["我原是{employer}的职工", "本人{retire}年从{employer}退休", "我在{employer}工作了{service}年"],
        ["{retire}年办理退休时{body}少算了我的工龄", "退休时核定的视同缴费年限只有{service}年，少算了", "{body}核定工龄时漏算了在{employer}的年限"],
        ["现在每月养老金只有{pension}元", "每月只领到{pension}元养老金", "养老金{pension}元一个月，比同龄人低很多"],
        ["{employer}的档案里有招工表可以证明", "单位改制前的工资表能证明工龄", "当年的同事都可以作证"],
        ["找{body}多次答复说按政策办", "{body}窗口让我们回去等", "反映了好几次都没有结果"],
        ["请求{body}重新核定工龄", "要求补发少发的养老金", "希望按实际工龄计算养老待遇"],
    ]),
    "wages": ("02.01", "builder", [
        ["我们是在{project}工地干活的农民工", "本人在{project}项目上做工", "我们一批工人给{body}干{project}工程"],
        ["{body}拖欠我们{months}个月工资共{amount}万元", "欠薪{months}个月，合计{amount}万元", "{months}个月的工资{amount}万元一直不给"],
        ["包工头{foreman}跑了找不到人", "包工头{foreman}电话打不通", "{foreman}说公司没给钱他也没办法"],
        ["向劳动监察投诉后没有进展", "劳动保障所来过一次就没有下文", "找过{body}项目部没有解决"],
        ["家里老人看病急需用钱", "孩子上学的学费都交不起", "马上过年了家里等着用钱"],
        ["请求帮助追讨欠薪", "要求{body}立即支付拖欠工资", "希望政府出面帮我们讨回工钱"],
    ]),
    "property": ("01.03", "property", [
        ["我是{estate}{building}的业主", "本人住在{estate}{building}", "我们是{estate}的居民"],
        ["{body}从{year}年起把物业费涨到每平方米{fee}元", "{year}年以来{body}擅自提高物业费到{fee}元", "物业费每平方米{fee}元，{body}说涨就涨"],
        ["{building}电梯经常坏没人修", "楼道灯坏了几个月也不修", "{building}地下室常年积水"],
        ["停车费收入从来不公开", "维修基金使用情况不公示", "公共收益去向不明"],
        ["业主多次找物业都没有回应", "向社区反映过几次没有结果", "物业态度恶劣拒不解决"],
        ["请求主管部门查处{body}", "要求更换物业公司", "希望有关部门督促整改"],
    ]),
    "housing": ("01.05", "developer", [
        ["我是{estate}{building}的业主", "本人在{estate}买了房", "我们是{estate}{building}的购房户"],
        ["{year}年交房后发现墙体开裂", "{year}年入住后屋顶漏水墙面开裂", "房子{year}年交付不到两年就多处渗水"],
        ["开发商{body}拒绝维修", "{body}说已过保修期不管", "{body}推给施工单位处理"],
        ["下雨天家里到处漏水", "裂缝越来越大担心安全", "墙皮脱落没法居住"],
        ["住建部门来看过没有下文", "多次找{body}都没有结果", "质监站说要我们自己鉴定"],
        ["要求{body}承担维修责任", "请求对房屋质量进行鉴定", "希望主管部门督促整改"],
    ]),
    "relocation": ("01.01", "street", [
        ["我家原住{village}{group}", "本人是{street}{village}的拆迁户", "我们{village}{group}的房子{year}年被拆了"],
        ["{project}安置房到现在还没交付", "说好的{project}安置房一拖再拖", "{project}项目拆迁后过渡费{amount}万元也停发了"],
        ["按协议应安置{area}平方米的安置房", "拆迁协议写明安置面积{area}平方米", "我家应得安置面积{area}平方米"],
        ["找{body}的{official}说再等等", "{body}{official}说资金没到位", "{body}一直推诿"],
        ["一家人租房住了好几年", "老人等不到回迁", "租房的钱都是借的"],
        ["请求尽快交付安置房", "要求{body}按协议落实安置", "希望政府督促兑现承诺"],
    ]),
    "school": ("07.01", "education", [
        ["我家住在{estate}{building}", "我们是{estate}的业主", "本人户籍在{estate}"],
        ["孩子{year}年该上{school}一年级", "按学区孩子应该就读{school}", "{year}年孩子到了入学年龄，学区是{school}"],
        ["{body}说学区名额已满不给入学", "{school}以户籍时间不够为由拒绝", "{body}把我们统筹到很远的学校"],
        ["同小区其他孩子都能入学", "政策上写明可以就近入学", "我们材料齐全符合条件"],
        ["打电话问了很多次都在推", "找{body}也没有答复", "已经反映过还是没解决"],
        ["请求保障孩子就近入学", "要求{school}按政策接收", "希望{body}尽快解决"],
    ]),
    "pollution": ("05.02", "factory", [
        ["我们住在{village}", "我是{village}的村民", "我们世代住在{village}"],
        ["{body}把污水直接排进村边的河里", "{body}偷排废水污染了河道", "{body}的排污口就在{village}旁边"],
        ["河水发黑发臭鱼都死了", "河里的水又黑又臭", "井水也有异味不能喝了"],
        ["从{year}年开始一直这样", "{year}年就反映过至今没有整改", "环保局{year}年罚过款但还在排"],
        ["村委会说管不了", "打过12345多次无果", "环保部门来过没有处理"],
        ["要求关停{body}", "请求彻查{body}违法排污", "希望还我们一条清水河"],
    ]),
}  # fmt: skip
BODY_KINDS = {  # body kind -> how a district names it
    "street": None,  # the street office of the matter's street
    "social": "{district}社会保险事业管理中心",
    "education": "{district}教育局",
    "developer": "{city_short}{name}房地产开发有限公司",
    "property": "{city_short}{name}物业服务有限公司",
    "builder": "{city_short}{name}建设工程有限公司",
    "factory": "{city_short}{name}化工有限公司",
}
PLURAL_BODIES = 2  # companies of each kind per district
# Villages and estates per street. An estate is the subject of at most one property, one housing
# and one school matter, and a corpus draws about 200 of each kind: 8 estates a street (96 in
# all) ran out, and the generator then quietly gave a second matter the subject of a first
# (same estate, same school, same body: two labels for what no analyst could tell apart).
VILLAGES = 8
ESTATES = 24
MAX_DRAWS = 500  # draws of a subject before the generator gives up (it never reuses one)
SAME_UNIT_TOPICS = ("land", "relocation")  # one village, several projects over the years
# Facts of one household, not of the matter: each villager has their own compensation, each
# worker their own wages. The same person (or household) restates them; a neighbour has others.
PERSONAL = ("group", "building", "amount", "area", "months", "pension", "service", "retire")


@dataclass
class Person:
    key: str
    name: str
    id_number: str
    phone: str
    address: str


@dataclass
class Shown:
    """How a person appears on one petition: what they gave."""

    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class Case:
    """One petition as registered, with its labels."""

    office_code: str
    registered_at: datetime
    category: str
    place: str
    place_code: str
    accused_body: str
    content: str
    petitioners: list[Shown]
    person: str  # label: who wrote it (the first petitioner)
    matter: str  # label: the matter
    action: str | None = None  # label: the collective action it belongs to
    relation: str = "first"  # first | same_person | relative | neighbour | member
    petition_id: str = ""


@dataclass
class Matter:
    key: str
    topic: str
    district: str
    street: str
    facts: dict
    body: str
    place_variants: list[str]


@dataclass
class District:
    code: str
    city_code: str
    city: str
    name: str
    streets: list[str]
    villages: dict[str, list[str]] = field(default_factory=dict)  # street -> villages
    estates: dict[str, list[str]] = field(default_factory=dict)
    bodies: dict[str, list[str]] = field(default_factory=dict)
    employers: list[str] = field(default_factory=list)
    schools: list[str] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int, start: datetime | None = None):
        self.rng = random.Random(seed)
        self.start = start or datetime(2026, 1, 5, 1, tzinfo=UTC)
        self.cases: list[Case] = []
        self.counter = 0
        self.names_used: set[str] = set()
        self.subjects: set[tuple] = set()
        self.districts = {code: self._district(code) for code in DISTRICTS}

    # --- the world ------------------------------------------------------------------------------

    def _word(self, used: set, size: int = 2) -> str:
        while True:
            word = "".join(self.rng.sample(SYLLABLES, size))
            if word not in used:
                used.add(word)
                return word

    def _district(self, code: str) -> District:
        city_code, city, name, streets = DISTRICTS[code]
        d = District(code=code, city_code=city_code, city=city, name=name, streets=streets)
        used: set[str] = set()
        for street in streets:
            d.villages[street] = [self._word(used) + "村" for _ in range(VILLAGES)]
            d.estates[street] = [
                self._word(used) + self.rng.choice(["小区", "花园", "家园", "公寓", "府"])
                for _ in range(ESTATES)
            ]
        for kind, pattern in BODY_KINDS.items():
            if pattern is None:
                d.bodies[kind] = [f"{s}街道办事处" for s in streets]
            elif "{name}" in pattern:
                d.bodies[kind] = [
                    pattern.format(city_short=city[:-1], name=self._word(used), district=name)
                    for _ in range(PLURAL_BODIES)
                ]
            else:
                d.bodies[kind] = [pattern.format(district=name)]
        d.employers = [
            f"{city[:-1]}{self._word(used)}{self.rng.choice(EMPLOYER_KINDS)}" for _ in range(12)
        ]
        d.schools = [f"{self._word(used)}小学" for _ in range(4)]
        return d

    def _name(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.sample(GIVEN, self.rng.choice([1, 2, 2]))
            )
            if name not in self.names_used:
                self.names_used.add(name)
                return name

    def person(self, district: str, *, home: str | None = None, surname: str = "") -> Person:
        self.counter += 1
        d = self.districts[district]
        street = self.rng.choice(d.streets)
        home = home or (
            f"{d.name}{street}街道{self.rng.choice(d.villages[street] + d.estates[street])}"
            f"{self.rng.randint(1, 30)}号"
        )
        name = self._name()
        if surname:
            name = surname + name[1:]
        first17 = f"{district}19{self.rng.randint(40, 99)}0{self.rng.randint(1, 9)}1{self.rng.randint(0, 9)}{self.counter % 1000:03d}"
        return Person(
            key=f"p{self.counter}",
            name=name,
            id_number=first17 + check_digit(first17),
            phone=f"1{self.rng.choice('3589')}{self.rng.randint(100000000, 999999999)}",
            address=home,
        )

    def matter(self, topic: str | None = None, district: str | None = None, like=None) -> Matter:
        """A matter with a subject of its own; `like` (another matter) gives the same body and
        street: a hard negative. When the subject drawn is taken, it is drawn again: on the same
        street first, then in the same district, then anywhere; never reused."""
        topic = topic or self.rng.choice(list(TOPICS))
        for attempt in range(MAX_DRAWS):
            matter = self._draw(
                topic, district if attempt < 20 else None, like if attempt < 10 else None
            )
            if matter is not None:
                return matter
        raise RuntimeError(f"no {topic} subject left in the world: enlarge it (ESTATES, VILLAGES)")

    def _draw(self, topic: str, district: str | None, like) -> Matter | None:
        rng = self.rng
        district = district or rng.choice(list(DISTRICTS))
        d = self.districts[district]
        _, body_kind, _ = TOPICS[topic]
        street = like.street if like else rng.choice(d.streets)
        if body_kind == "street":
            body = f"{street}街道办事处"
        else:
            body = like.body if like else rng.choice(d.bodies[body_kind])
        facts = {
            "street": f"{street}街道",
            "village": rng.choice(d.villages[street]),
            "group": f"{rng.randint(1, 12)}组",
            "estate": rng.choice(d.estates[street]),
            "building": f"{rng.randint(1, 30)}幢",
            "year": rng.randint(2016, 2025),
            "retire": rng.randint(2005, 2024),
            "service": rng.randint(12, 38),
            "pension": rng.randint(1500, 4800),
            "amount": rng.choice([round(rng.uniform(1.5, 95), 1), rng.randint(2, 95)]),
            "months": rng.randint(2, 14),
            "area": rng.randint(45, 180),
            "fee": round(rng.uniform(1.2, 4.5), 1),
            "project": rng.choice(PROJECTS),
            "employer": rng.choice(d.employers),
            "school": rng.choice(d.schools),
            "official": rng.choice(SURNAMES) + rng.choice(TITLES),
            "foreman": self._name(),
        }
        if topic == "wages":
            facts["project"] = facts["estate"] + rng.choice(["二期", "三期", "商业楼", "安置房"])
        if like and like.topic == topic:
            if topic in SAME_UNIT_TOPICS and rng.random() < 0.5:
                # the same village, another project and year: only those tell them apart
                facts["village"] = like.facts["village"]
                facts["project"] = rng.choice([x for x in PROJECTS if x != like.facts["project"]])
                facts["year"] = rng.choice(
                    [y for y in range(2016, 2026) if y != like.facts["year"]]
                )
            else:  # the same body and street, another village or estate
                for unit in ("village", "estate"):
                    others = [u for u in self._units(d, street, unit) if u != like.facts[unit]]
                    facts[unit] = rng.choice(others)
        if body_kind in ("developer", "property"):  # an estate has one developer, one manager
            served = [e for e in d.estates[street] if self._serves(d, e, body_kind) == body]
            if served:
                facts["estate"] = rng.choice(served)
            else:
                body = self._serves(d, facts["estate"], body_kind)
        facts["school"] = d.schools[d.estates[street].index(facts["estate"]) % len(d.schools)]
        facts["body"] = body
        if not self._distinct(topic, facts):
            return None
        self.counter += 1
        unit = facts["estate"] if topic in ("property", "housing", "school") else facts["village"]
        if topic == "pension":
            unit = rng.choice(["", facts["estate"]])
        full = f"{PROVINCE[1]}{d.city}{d.name}{street}街道{unit}"
        return Matter(
            key=f"m{self.counter}",
            topic=topic,
            district=district,
            street=street,
            facts=facts,
            body=body,
            place_variants=[
                full,
                f"{d.city}{d.name}{street}街道{unit}",
                f"{d.name}{street}街道{unit}" if unit else f"{d.name}",
                f"{street}街道{unit}",
            ],
        )

    def _distinct(self, topic: str, facts: dict) -> bool:
        """One matter per subject: a second matter at the same village, estate or project of
        the same body would be the same matter in any analyst's eyes, so it is drawn again."""
        if topic in SAME_UNIT_TOPICS:
            key = ("land", facts["body"], facts["village"], facts["project"])
        elif topic == "pension":
            return True  # each pensioner's own matter: told apart by employer, years, amounts
        elif topic == "wages":
            key = (topic, facts["body"], facts["project"])
        elif topic == "pollution":
            key = (topic, facts["body"], facts["village"])
        else:  # property, housing, school: the estate (its developer, manager, school are fixed)
            key = (topic, facts["estate"])
        if key in self.subjects:
            return False
        self.subjects.add(key)
        return True

    @staticmethod
    def _serves(d: District, estate: str, kind: str) -> str:
        """The developer or property company of an estate: fixed, as in life."""
        bodies = d.bodies[kind]
        return bodies[sum(map(ord, estate)) % len(bodies)]

    def _units(self, d: District, street: str, unit: str) -> list[str]:
        return d.villages[street] if unit == "village" else d.estates[street]

    def personal(self, matter: Matter) -> dict:
        """A household's own facts on this matter (the matter's, for its first petitioner)."""
        rng = self.rng
        fresh = {
            "group": f"{rng.randint(1, 12)}组",
            "building": f"{rng.randint(1, 30)}幢",
            "amount": rng.choice([round(rng.uniform(1.5, 95), 1), rng.randint(2, 95)]),
            "area": rng.randint(45, 180),
            "months": rng.randint(2, 14),
            "pension": rng.randint(1500, 4800),
            "service": rng.randint(12, 38),
            "retire": rng.randint(2005, 2024),
        }
        if matter.topic in ("land", "relocation") and rng.random() < 0.6:
            fresh["group"] = matter.facts["group"]  # most of an action comes from one group
        return fresh

    def render(
        self, matter: Matter, *, terse: bool = False, mention: str = "", own: dict | None = None
    ) -> str:
        rng = self.rng
        _, _, facts = TOPICS[matter.topic]
        slots = matter.facts | (own or {})
        sentences = [rng.choice(options).format(**slots) for options in facts]
        if terse:  # a follow-up: one fact, the rest "as before"
            return f"{rng.choice(FOLLOW_UPS)}，{rng.choice(sentences[1:3])}，{sentences[-1]}。"
        middle = sentences[1:-1]
        if rng.random() < 0.4:  # one sentence left out, never the one that dates the matter
            middle.pop(rng.randrange(1, len(middle)))
        rng.shuffle(middle)
        text = "，".join([sentences[0], *middle, sentences[-1]]) + "。"
        if mention:
            text = mention + text
        return text + rng.choice(FILLERS)

    # --- petitions ------------------------------------------------------------------------------

    def office_for(self, matter: Matter, level: str) -> str:
        if level == "province":
            return PROVINCE[0]
        if level == "city":
            return self.districts[matter.district].city_code
        return matter.district

    def petition(
        self,
        matter: Matter,
        people: list[Shown],
        when: datetime,
        level: str,
        *,
        person: str,
        relation: str,
        action: str | None = None,
        terse: bool = False,
        mention: str = "",
        own: dict | None = None,
    ) -> Case:
        case = Case(
            office_code=self.office_for(matter, level),
            registered_at=when,
            category=TOPICS[matter.topic][0],
            place=self.rng.choice(matter.place_variants),
            place_code=matter.district,
            accused_body=matter.body if self.rng.random() < 0.85 else "",
            content=self.render(matter, terse=terse, mention=mention, own=own),
            petitioners=people,
            person=person,
            matter=matter.key,
            action=action,
            relation=relation,
        )
        self.cases.append(case)
        return case

    def shown(self, p: Person, how: str = "full") -> Shown:
        """How a person identifies themselves: full, no_id (name + phone), address (name +
        address), id_only."""
        if how == "no_id":
            return Shown(name=p.name, phone=p.phone, address=p.address)
        if how == "address":
            return Shown(name=p.name, address=p.address)
        return Shown(name=p.name, id_number=p.id_number, phone=p.phone, address=p.address)

    def when(self, days: float = 300) -> datetime:
        return self.start + timedelta(days=self.rng.uniform(0, days), minutes=self.rng.random())

    def level(self) -> str:
        return self.rng.choices(["county", "city", "province"], [6, 3, 1])[0]

    # --- scenarios ------------------------------------------------------------------------------

    def unrelated(self, count: int) -> list[Matter]:
        """Single petitions, each its own matter; a third are hard negatives of an earlier one
        (same body and street, maybe the same village, other facts)."""
        made: list[Matter] = []
        for _ in range(count):
            like = self.rng.choice(made) if made and self.rng.random() < 0.35 else None
            matter = self.matter(
                like.topic if like else None, like.district if like else None, like
            )
            made.append(matter)
            p = self.person(matter.district)
            how = self.rng.choices(["full", "no_id", "address"], [6, 3, 1])[0]
            self.petition(
                matter,
                [self.shown(p, how)],
                self.when(),
                self.level(),
                person=p.key,
                relation="first",
            )
        return made

    def busy_weeks(self, count: int) -> None:
        """Unrelated people accusing one bureau within a week: not one matter, not collective."""
        for _ in range(count):
            first = self.matter(self.rng.choice(["pension", "land", "wages", "property"]))
            start = self.when(280)
            for i in range(self.rng.randint(6, 9)):
                matter = first if i == 0 else self.matter(first.topic, first.district, first)
                p = self.person(matter.district)
                when = start + timedelta(days=self.rng.uniform(0, 6))
                self.petition(
                    matter, [self.shown(p, "full")], when, "county", person=p.key, relation="first"
                )

    def repeats(self, count: int) -> None:
        """The same person, reworded, up the levels; later petitions often without the ID."""
        for _ in range(count):
            matter = self.matter()
            p = self.person(matter.district)
            when = self.when(240)
            for i, level in enumerate(["county", "city", "province"][: self.rng.choice([2, 3, 3])]):
                how = (
                    "full"
                    if i == 0
                    else self.rng.choices(["full", "no_id", "address"], [4, 4, 2])[0]
                )
                terse = i > 0 and self.rng.random() < 0.25
                self.petition(
                    matter, [self.shown(p, how)], when, level,
                    person=p.key, relation="first" if i == 0 else "same_person", terse=terse,
                )  # fmt: skip
                when += timedelta(days=self.rng.uniform(7, 50))

    def relatives(self, count: int) -> None:
        """A petitioner, then a relative or a neighbour on the same matter, without ID numbers."""
        for _ in range(count):
            matter = self.matter(
                self.rng.choice(["land", "relocation", "housing", "property", "pension", "school"])
            )
            first = self.person(matter.district)
            when = self.when(240)
            how = self.rng.choice(["full", "no_id"])
            self.petition(
                matter, [self.shown(first, how)], when, "county", person=first.key, relation="first"
            )
            for level in ["city", "province"][: self.rng.choice([1, 1, 2])]:
                when += timedelta(days=self.rng.uniform(5, 60))
                if self.rng.random() < 0.6:
                    kin = self.person(matter.district, home=first.address, surname=first.name[0])
                    shown = Shown(name=kin.name, address=first.address)
                    if self.rng.random() < 0.3:
                        shown.phone = first.phone  # the household's phone
                    mention = ""
                    if self.rng.random() < 0.6:
                        mention = f"我{self.rng.choice(KIN)}{first.name}之前反映过这个问题，"
                    self.petition(
                        matter,
                        [shown],
                        when,
                        level,
                        person=kin.key,
                        relation="relative",
                        mention=mention,
                    )
                elif matter.topic != "pension":  # a pension is one person's matter
                    neighbour = self.person(matter.district)
                    shown = self.shown(neighbour, self.rng.choice(["no_id", "address"]))
                    mention = "我和邻居家情况一样，" if self.rng.random() < 0.5 else ""
                    self.petition(
                        matter,
                        [shown],
                        when,
                        level,
                        person=neighbour.key,
                        relation="neighbour",
                        mention=mention,
                        own=self.personal(matter),
                    )

    def collective(self, count: int) -> None:
        """Actions that grow over weeks and cross levels: a first wave, then more people."""
        for a in range(count):
            matter = self.matter(
                self.rng.choice(["land", "wages", "relocation", "housing", "pollution", "property"])
            )
            label = f"a{a}"
            start = self.when(270)
            waves = self.rng.randint(1, 4)
            for wave in range(waves):
                wave_start = start + timedelta(days=wave * self.rng.uniform(6, 14))
                size = self.rng.randint(5, 9) if wave == 0 else self.rng.randint(2, 7)
                levels = [
                    ["county"],
                    ["county", "city"],
                    ["city", "province"],
                    ["county", "province"],
                ][wave]
                for _ in range(size):
                    p = self.person(matter.district)
                    when = wave_start + timedelta(days=self.rng.uniform(0, 5))
                    how = self.rng.choices(["full", "no_id", "address"], [5, 4, 1])[0]
                    self.petition(
                        matter, [self.shown(p, how)], when, self.rng.choice(levels),
                        person=p.key, relation="member", action=label, own=self.personal(matter),
                    )  # fmt: skip

    def joint_letters(self, count: int) -> None:
        """One letter signed by 5–8 people (联名信), sometimes followed by one signer alone."""
        for j in range(count):
            matter = self.matter(self.rng.choice(["land", "pollution", "property"]))
            people = [self.person(matter.district) for _ in range(self.rng.randint(5, 8))]
            when = self.when(280)
            label = f"j{j}"
            self.petition(
                matter, [self.shown(p, "full") for p in people], when, "county",
                person=people[0].key, relation="member", action=label,
            )  # fmt: skip

    def decoys(self, count: int) -> None:
        """Not collective: two or three people within days, or five over two months."""
        for i in range(count):
            matter = self.matter(self.rng.choice([t for t in TOPICS if t != "pension"]))
            start = self.when(240)
            for k in range(self.rng.choice([2, 3]) if i % 2 else 5):
                p = self.person(matter.district)
                when = start + timedelta(days=(self.rng.uniform(0, 4) if i % 2 else 16 * k))
                self.petition(
                    matter,
                    [self.shown(p, "no_id")],
                    when,
                    "county",
                    person=p.key,
                    relation="neighbour" if k else "first",
                    own=self.personal(matter) if k else None,
                )

    def two_matters(self, count: int) -> None:
        for _ in range(count):
            district = self.rng.choice(list(DISTRICTS))
            p = self.person(district)
            for _ in range(2):
                self.petition(
                    self.matter(district=district),
                    [self.shown(p, "full")],
                    self.when(),
                    "county",
                    person=p.key,
                    relation="first",
                )


def generate(seed: int = 11, scale: float = 1.0) -> list[Case]:
    """About 2,000 petitions at scale 1, in registration order, with petition ids set."""
    gen = Generator(seed)

    def n(count: int) -> int:
        return max(1, round(count * scale))

    gen.unrelated(n(700))
    gen.busy_weeks(n(25))
    gen.repeats(n(160))
    gen.relatives(n(90))
    gen.collective(n(22))
    gen.joint_letters(n(6))
    gen.decoys(n(24))
    gen.two_matters(n(25))
    gen.cases.sort(key=lambda c: c.registered_at)
    for i, case in enumerate(gen.cases):
        case.petition_id = f"{seed:08d}-0000-4000-8000-{i:012d}"
    return gen.cases


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    cases = generate(args.seed)
    print(f"{len(cases)} petitions")
    for c in cases[: args.count]:
        who = "、".join(p.name + ("(ID)" if p.id_number else "") for p in c.petitioners)
        print(c.matter, c.relation, c.action or "-", c.office_code, c.place, c.accused_body, who)
        print("   ", c.content)
