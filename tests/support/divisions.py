"""The real divisions of the whole country, from the cpca package's adcodes table (test data).

Parents are derived here from the data alone, independently of `tenants/divisions.py`: a
county-level unit's parent is its city when the data has a real city for it, otherwise its
province-level unit (the statistical groupings 市辖区, 县 and 省（自治区）直辖县级行政区划 name no
government and get no office). 台湾, 香港 and 澳门 have no office in this system.
"""

import csv
import io
from importlib.resources import files

GROUPING_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
NO_OFFICE_PROVINCES = {"71", "81", "82"}


def national_divisions() -> list[list[str]]:
    """[code, name, level, parent, host] for every office of the country, parents first."""
    table = files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    names = {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(table))}
    real = {c: n for c, n in names.items() if n not in GROUPING_NAMES}
    rows = []
    for code, name in real.items():
        if code[:2] in NO_OFFICE_PROVINCES:
            continue
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
        else:
            city = code[:4] + "00"
            level, parent = "county", city if city in real else code[:2] + "0000"
        rows.append([code, f"{name}信访局", level, parent, f"d{code}.localhost"])
    rank = {"province": 0, "city": 1, "county": 2}
    return sorted(rows, key=lambda row: (rank[row[2]], row[0]))


def divisions_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "level", "parent", "host"])
    writer.writerows(rows)
    return out.getvalue()
