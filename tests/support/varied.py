"""Petitions as a province's load brings them: each by another person, on one of a few matters in
one of a few places, so a repeat check sees few candidates, as it would in production; not one
person petitioning a thousand times over (every check would then match every earlier one)."""

TOPICS = ("征地补偿款至今未发放到位", "小区物业擅自提高收费标准", "企业拖欠农民工工资半年",
          "道路施工噪音扰民影响休息", "宅基地审批长期无人答复", "养老保险待遇核定有误")  # fmt: skip
PLACES = ("杭州市西湖区转塘街道", "杭州市西湖区留下街道", "杭州市西湖区三墩镇",
          "杭州市西湖区蒋村街道", "杭州市西湖区文新街道")  # fmt: skip
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"


def petition_fields(serial: int, marker: str = "") -> dict:
    """content, place, a petitioner's name and phone for the `serial`-th petition of a load."""
    return {
        "content": f"{TOPICS[serial % len(TOPICS)]}，多次反映无果 {marker}-{serial}",
        "place": PLACES[(serial // len(TOPICS)) % len(PLACES)],
        "name": f"{SURNAMES[serial % len(SURNAMES)]}某{serial % 997}",
        "phone": f"139{serial:08d}"[-11:],
    }
