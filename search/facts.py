"""The facts of a petition that tell one matter from another (事项要素).

Unrelated petitions on one topic in one district share the accused body, the district and the
stock phrases ("补偿款至今没有发放到位"); they differ in the village and its group, the estate, the
project, the former employer or the company, the amounts, the years and the officials named. This
module extracts those facts from the place, the accused body and the text with a few patterns of
how petitions name them — no dictionary, no model — as typed strings (`村:兰里村`, `额:35万`).

Names are cut at a fixed width (the two characters before 村, 小区, …) so that two petitions
naming one village extract the same key whatever precedes it; a longer name ("大诸桥村") gives
its tail ("诸桥村") in both. Words that are not names ("我们村", "本村", "人民政府") are
dropped by the first character or listed outright.
"""

import re
from dataclasses import dataclass

HAN = "\u4e00-\u9fff"
# Characters that start no place or company name here: pronouns, particles, verbs before a name.
_NOT_A_NAME_START = set(
    "我你他她们本全该这那邻同各个是的在了住家到给和与从向对把被为于乡农每其此某"
)
_NOT_IN_A_NAME = set("的了是在组")
_NOT_A_NAME = {"人民", "居民", "村民", "市民", "农民", "政府", "街道", "社区", "小区"}
# Characters that end a run before a project or company name ("2019年道路拓宽项目").
_CUT = re.compile(
    r"^.*[的在了年为用于是干给因我们被把上里等说好从到和及向对搞做找告诉映让叫请要求换读就应该快交付查处关停]"
)

_UNIT = re.compile(
    rf"([{HAN}]{{2}})(村|社区|小区|花园|家园|公寓|新村|府|苑)(?!街道|镇|乡|边|里|口|头|子)"
)
_GROUP = re.compile(r"(\d{1,2})(?:组|队)(?!织|长)")
_PROJECT = re.compile(rf"([{HAN}]{{2,8}}?)(项目|工程|工地|安置房)")
# Facilities a matter is about ("垃圾中转站", "污水处理厂"): fixed width, like units.
_FACILITY = re.compile(
    rf"([{HAN}]{{2}})(中转站|处理厂|焚烧厂|处理站|变电站|加油站|养殖场|搅拌站|填埋场|基站)"
)
_ORG = re.compile(rf"([{HAN}]{{2,14}}?)(有限公司|公司|集团|厂|医院|小学|中学|幼儿园)")
_OFFICIAL = re.compile(rf"([{HAN}])(主任|书记|科长|经理|队长|所长|局长|镇长|村长|站长|校长)")
_FOREMAN = re.compile(rf"(?:包工头|工头|老板)([{HAN}]{{2}})")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|万|元|平方米|个月)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_KIN = re.compile(
    rf"(父亲|母亲|爸爸|妈妈|丈夫|妻子|爱人|老伴|儿子|女儿|哥哥|弟弟|姐姐|妹妹|公公|婆婆|邻居)([{HAN}]{{2,3}})"
)
_COMPANY_FORM = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司|集团)$")

# Kinds, as the prefixes of the indexed keywords. "Strong" kinds name the matter's subject: two
# petitions sharing one are about the same thing unless other facts contradict it.
UNIT, GROUP, PROJECT, ORG, OFFICIAL, MONEY, AREA, MONTHS, YEAR = (
    "地", "组", "项", "单", "官", "额", "面", "月", "年",
)  # fmt: skip
STRONG = (UNIT, PROJECT, ORG, OFFICIAL)
KINDS = (UNIT, GROUP, PROJECT, ORG, OFFICIAL, MONEY, AREA, MONTHS, YEAR)
KIND_WORDS = {
    UNIT: "unit", GROUP: "group", PROJECT: "project", ORG: "org", OFFICIAL: "official",
    MONEY: "money", AREA: "area", MONTHS: "months", YEAR: "year",
}  # fmt: skip
KIND_NAMES = {
    UNIT: "地点", GROUP: "组别", PROJECT: "项目", ORG: "单位", OFFICIAL: "经办人",
    MONEY: "金额", AREA: "面积", MONTHS: "月数", YEAR: "年份",
}  # fmt: skip
_UNIT_OF_AMOUNT = {"万元": (MONEY, "万"), "万": (MONEY, "万"), "元": (MONEY, "元"),
                   "平方米": (AREA, "平方米"), "个月": (MONTHS, "个月")}  # fmt: skip


def _is_name(word: str) -> bool:
    return (
        word[0] not in _NOT_A_NAME_START
        and not _NOT_IN_A_NAME & set(word)
        and word not in _NOT_A_NAME
        and word[-1] != "政"
    )


def _trim(run: str) -> str:
    """The name at the end of a run of characters: after the last word that cannot be in it."""
    return _CUT.sub("", run)


def org_key(name: str) -> str:
    """A company or body without its legal form: 杭州红星纺织有限公司 -> 杭州红星纺织."""
    return _COMPANY_FORM.sub("", name)


@dataclass(frozen=True)
class Facts:
    """Typed facts: {kind: set of values}, and kin named in the text."""

    by_kind: dict[str, frozenset[str]]
    kin: tuple[str, ...] = ()

    def keywords(self) -> list[str]:
        return sorted(
            f"{kind}:{value}" for kind, values in self.by_kind.items() for value in values
        )

    @classmethod
    def from_keywords(cls, keywords) -> "Facts":
        by_kind: dict[str, set[str]] = {}
        for keyword in keywords or ():
            kind, _, value = keyword.partition(":")
            by_kind.setdefault(kind, set()).add(value)
        return cls({k: frozenset(v) for k, v in by_kind.items()})


def extract(*, content: str, place: str = "", accused_body: str = "") -> Facts:
    """The facts of one petition. The accused body is not a fact (it is compared on its own);
    other organisations named in the text are (the former employer, the school, the builder)."""
    body = org_key(accused_body.strip())
    text = f"{place}。{content}"
    found: dict[str, set[str]] = {}

    def add(kind: str, value: str) -> None:
        found.setdefault(kind, set()).add(value)

    for match in _ORG.finditer(text):
        name = _trim(match.group(1))
        if len(name) >= 2 and _is_name(name):
            key = org_key(name + match.group(2))
            if not body or (key not in body and body not in key):
                add(ORG, key)
    # Units and projects are read with organisations' names (and the body's) taken out:
    # "湖龙建设工程有限公司" names no project, "首南街道办事处" no unit.
    rest = _ORG.sub(
        "。", text.replace(accused_body.strip(), "。") if accused_body.strip() else text
    )
    for match in _UNIT.finditer(rest):
        if _is_name(match.group(1)):
            add(UNIT, match.group(1) + match.group(2))
    for match in _GROUP.finditer(rest):
        add(GROUP, match.group(1) + "组")
    for match in _FACILITY.finditer(text):
        add(PROJECT, match.group(1) + match.group(2))
    rest = _FACILITY.sub("。", rest)
    for match in _PROJECT.finditer(rest):
        name = _trim(match.group(1))
        if len(name) >= 2 and _is_name(name):
            add(PROJECT, name)
    for match in _OFFICIAL.finditer(text):
        if match.group(1) not in _NOT_A_NAME_START:
            add(OFFICIAL, match.group(1) + match.group(2))
    for match in _FOREMAN.finditer(rest):  # the given name's width is unknown: two characters
        if match.group(1)[0] not in _NOT_A_NAME_START:
            add(OFFICIAL, "包工头" + match.group(1))
    for match in _AMOUNT.finditer(text):
        kind, unit = _UNIT_OF_AMOUNT[match.group(2)]
        number = match.group(1).rstrip("0").rstrip(".") if "." in match.group(1) else match.group(1)
        add(kind, number + unit)
    for match in _YEAR.finditer(text):
        add(YEAR, match.group(1))
    kin = tuple(
        sorted(
            {m.group(2)[:n] for m in _KIN.finditer(content) for n in (2, 3) if len(m.group(2)) >= n}
        )
    )
    return Facts({k: frozenset(v) for k, v in found.items()}, kin)


@dataclass(frozen=True)
class Comparison:
    """Which kinds of fact two petitions agree on (a shared value) and contradict (both name
    that kind, no value shared)."""

    agree: dict[str, frozenset[str]]
    contradict: tuple[str, ...]

    def agrees(self, kind: str) -> bool:
        return kind in self.agree

    @property
    def strong_agreement(self) -> bool:
        return any(kind in self.agree for kind in STRONG)


def _shared(kind: str, a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """Values both name; organisations and projects also when one name contains the other
    ("红星纺织" in "杭州红星纺织"), as people shorten them."""
    shared = a & b
    if kind in (ORG, PROJECT):
        shared |= {x for x in a for y in b if len(min(x, y, key=len)) >= 3 and (x in y or y in x)}
    return frozenset(shared)


def compare(a: Facts, b: Facts) -> Comparison:
    agree, contradict = {}, []
    for kind in set(a.by_kind) & set(b.by_kind):
        shared = _shared(kind, a.by_kind[kind], b.by_kind[kind])
        if shared:
            agree[kind] = shared
        else:
            contradict.append(kind)
    return Comparison(agree=agree, contradict=tuple(sorted(contradict)))
