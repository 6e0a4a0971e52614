"""Recognising a person, or a household, without an ID number — as HMAC keys only.

A petitioner who gave an ID number is recognised by `person_key`, one who gave a phone number by
`phone_key` (pii.py). Many give neither consistently: the same person writes once with the ID,
then with name and phone, then with name and home address; a relative writes from the same
address; a letter names the family member who petitioned before ("我父亲王建国去年反映过").
Each of those becomes an HMAC under the platform secret (`pii.keyed_hash`), so Elasticsearch and
the other offices only ever see keys:

- identity keys: name + phone key (`np:`), name + address (`na:`) — the same person;
- household keys: the address alone (`hh:`) — the same household, not necessarily the person;
- name keys: name + district code (`nm:`), matched against kin keys: the names a letter gives
  after 父亲, 母亲, 邻居, … (both two- and three-character readings, facts.extract) + district.
"""

from xinfang.platform.pii import keyed_hash
from xinfang.search import analysis


def _name(name: str) -> str:
    return analysis.normalize(name)


def address_key(address: str) -> str:
    """The address without province, city, district and street: how people write it both ways."""
    return analysis.place_key(address)


def identity_keys(*, name: str, phone_key: str = "", address: str = "") -> list[str]:
    """Keys of one person; the phone enters as its `phone_key`, so the number is never
    decrypted to index it."""
    name = _name(name)
    if not name:
        return []
    keys = []
    if phone_key:
        keys.append("np:" + keyed_hash("name_phone", f"{name}|{phone_key}"))
    if address and len(key := address_key(address)) >= 4:
        keys.append("na:" + keyed_hash("name_address", f"{name}|{key}"))
    return keys


def household_keys(*, address: str) -> list[str]:
    key = address_key(address)
    return ["hh:" + keyed_hash("household", key)] if len(key) >= 4 else []


def name_key(name: str, place_code: str) -> str:
    return "nm:" + keyed_hash("name_district", f"{_name(name)}|{place_code}")


def name_keys(names, place_code: str) -> list[str]:
    return sorted({name_key(n, place_code) for n in names if _name(n)})
