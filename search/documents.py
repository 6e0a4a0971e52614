"""The petitions index: one index family for every office, versioned behind an alias.

Readers and writers use the alias (`<prefix>_petitions`); each build is a concrete index
`<prefix>_petitions-v<N>`. `manage.py search_index rebuild` fills version N+1 while N serves, then
swaps the alias atomically (no downtime) and drops N.

Each build records the mapping it was made with (`_meta.mapping_version`, `MAPPING_VERSION`).
When the code's mapping is newer than the live build's, `ensure_index` adds the new fields to the
live build (new fields only: Elasticsearch accepts that on a live index), so documents of the new
shape are written at once while searches go on; `search_index upgrade` then rebuilds into the
new mapping and swaps the alias, which fills the new fields of every earlier petition. Version 2
added the identity, household, name and kin keys and the facts.

A document holds what search and repeat/collective detection need: office, its ancestors and
province, level, channel, category, status, dates, `matter_id`, `person_keys`/`phone_keys`
and the identity, household, name and kin keys of search/identity.py (HMACs, never the numbers
or names), the facts of search/facts.py, place and accused body, content analysed as CJK
bigrams/trigrams, and `viewer_codes` — the offices allowed to see its details
(registry/visibility.py, through the public registry). Names of petitioners are never indexed.
"""

import logging
import re

from django.conf import settings
from elasticsearch import NotFoundError, dsl

from xinfang.search.analysis import cjk_bigram_analyzer
from xinfang.search.client import es_client

logger = logging.getLogger(__name__)

MAPPING_VERSION = 2  # bump when the mapping changes; `rebuild` then builds a new index
FAMILY = {"family": "xinfang-petitions", "mapping_version": MAPPING_VERSION}


def cjk_text(**kwargs) -> dsl.Text:
    """Text analysed as CJK bigrams/trigrams; positions are not needed (shingles keep order)."""
    return dsl.Text(analyzer=cjk_bigram_analyzer, index_options="freqs", **kwargs)


class PetitionDocument(dsl.Document):
    petition_id = dsl.Keyword()
    matter_id = dsl.Keyword()
    reference = dsl.Keyword()
    office_code = dsl.Keyword()
    office_level = dsl.Keyword()
    province_code = dsl.Keyword()
    ancestor_codes = dsl.Keyword()
    viewer_codes = dsl.Keyword()
    channel = dsl.Keyword()
    category = dsl.Keyword()
    category_group = dsl.Keyword()
    status = dsl.Keyword()
    registered_at = dsl.Date()
    updated_at = dsl.Date(index=False)
    version = dsl.Long(index=False)
    person_keys = dsl.Keyword()
    phone_keys = dsl.Keyword()
    identity_keys = dsl.Keyword()  # name + phone key, name + address (search/identity.py)
    household_keys = dsl.Keyword()
    name_keys = dsl.Keyword()  # petitioners' names in the district, for kin named in letters
    kin_keys = dsl.Keyword()
    facts = dsl.Keyword()  # typed facts of the matter: 地:兰里村, 额:35万 (search/facts.py)
    petitioner_count = dsl.Short()
    place = cjk_text(norms=False)
    place_code = dsl.Keyword()
    place_key = dsl.Keyword()
    accused_body = cjk_text(norms=False)
    body_key = dsl.Keyword()
    content = cjk_text()
    request = cjk_text(norms=False)
    is_repeat = dsl.Boolean()
    is_collective = dsl.Boolean()
    is_skip_level = dsl.Boolean()
    is_accusation = dsl.Boolean()
    repeat_of_matter = dsl.Keyword()
    source_office_code = dsl.Keyword()

    class Meta:
        dynamic = dsl.MetaField("strict")
        meta = dsl.MetaField(FAMILY)  # the mapping's `_meta`: this index is one of ours


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_petitions"


def version_name(version: int) -> str:
    return f"{alias_name()}-v{version}"


def build_index(name: str, *, shards: int | None = None, replicas: str | None = None) -> dsl.Index:
    """The index definition (settings, analyzers, mapping) under a concrete name; shards and
    replicas from the settings unless given ("0-1": auto-expanded to the nodes there are)."""
    replicas = replicas or settings.ELASTICSEARCH_REPLICAS
    copies = (
        {"auto_expand_replicas": replicas} if "-" in replicas else {"number_of_replicas": replicas}
    )
    index = dsl.Index(name)
    index.settings(
        number_of_shards=shards or settings.ELASTICSEARCH_SHARDS, refresh_interval="1s", **copies
    )
    index.document(PetitionDocument)
    return index


def existing_versions() -> dict[int, str]:
    """Concrete versions of this family that exist: {N: index name}."""
    pattern = re.compile(re.escape(alias_name()) + r"-v(\d+)$")
    try:
        names = es_client().indices.get(index=f"{alias_name()}-v*", expand_wildcards="open")
    except NotFoundError:
        return {}
    return {int(m.group(1)): name for name in names if (m := pattern.match(name))}


def aliased_index() -> str | None:
    """The concrete index the alias points to, if any."""
    try:
        found = es_client().indices.get_alias(name=alias_name())
    except NotFoundError:
        return None
    return next(iter(found), None)


def create_version(version: int, **kwargs) -> str:
    name = version_name(version)
    build_index(name, **kwargs).create(using=es_client())
    return name


def ensure_index() -> str:
    """Create version 1 behind the alias when the family does not exist, or bring the live
    build's fields up to the current mapping (`add_new_fields`); return the alias."""
    current = aliased_index()
    if current is None:
        _drop_squatter()
        versions = existing_versions()
        name = versions[max(versions)] if versions else create_version(1)
        point_alias_at(name)
    elif mapping_version_of(current) < MAPPING_VERSION:
        add_new_fields(current)
    return alias_name()


def mapping_version_of(name: str) -> int:
    """The mapping version a build was made with (1 before versions were recorded)."""
    found = es_client().indices.get_mapping(index=name)
    return int(next(iter(found.values()))["mappings"].get("_meta", {}).get("mapping_version", 1))


def add_new_fields(name: str) -> list[str]:
    """Put the current mapping's fields that the build `name` lacks on it (existing fields are
    never changed, so Elasticsearch accepts it live); return their names. The build keeps its
    recorded mapping version: its earlier documents still lack the new fields until a rebuild."""
    client = es_client()
    found = next(iter(client.indices.get_mapping(index=name).values()))["mappings"]
    wanted = PetitionDocument._doc_type.mapping.to_dict()["properties"]
    new = {field: spec for field, spec in wanted.items() if field not in found["properties"]}
    if new:
        logger.warning("adding fields %s to %s (mapping v%d)", sorted(new), name, MAPPING_VERSION)
        client.indices.put_mapping(index=name, properties=new)
    return sorted(new)


def needs_upgrade() -> bool:
    """The live build was made with an older mapping than the code's."""
    current = aliased_index()
    return current is not None and mapping_version_of(current) < MAPPING_VERSION


def _drop_squatter() -> None:
    """A concrete index named like the alias, auto-created by a write that came before the family
    existed, blocks the alias: drop it (reconcile re-indexes its petitions from the database)."""
    client = es_client()
    try:
        found = client.indices.get_mapping(index=alias_name())
    except NotFoundError:
        return
    for name, body in found.items():
        if name == alias_name() and body["mappings"].get("_meta", {}).get("family") is None:
            logger.warning("dropping %s: auto-created, not a petitions index version", name)
            client.indices.delete(index=name)


def point_alias_at(name: str) -> list[str]:
    """Move the alias to `name` in one atomic call; return the indices it left."""
    client = es_client()
    old = [index for index in _alias_targets() if index != name]
    actions = [{"remove": {"index": index, "alias": alias_name()}} for index in old]
    actions.append({"add": {"index": name, "alias": alias_name(), "is_write_index": True}})
    client.indices.update_aliases(actions=actions)
    return old


def _alias_targets() -> list[str]:
    try:
        return list(es_client().indices.get_alias(name=alias_name()))
    except NotFoundError:
        return []


def drop_family() -> None:
    """Delete every index of this family (tests and `search_index drop` only)."""
    for name in existing_versions().values():
        es_client().indices.delete(index=name, ignore_unavailable=True)
