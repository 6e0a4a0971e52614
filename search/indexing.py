"""Writing petitions into the index: one document per petition copy, idempotently.

The document id is the petition UUID and the write uses external versioning (`external_gte`) with
a version derived from the petition's and its registry row's `updated_at`, so a retried or late
task never overwrites a newer document, and writing the same state twice is harmless.

`sync_office` walks one office's petitions in batches and writes those missing or stale in a given
index: `reconcile` is that over every office into the alias, `rebuild` that into a new version.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field

from django.db import connection
from django_tenants.utils import schema_context, tenant_context
from elasticsearch import BadRequestError, ConflictError, NotFoundError
from elasticsearch.helpers import streaming_bulk

from xinfang.platform.cases.models import Petition, Petitioner
from xinfang.platform.pii import redact_numbers
from xinfang.platform.registry.models import PetitionRecord
from xinfang.search import analysis, facts, identity
from xinfang.search.client import es_client
from xinfang.search.documents import alias_name, ensure_index
from xinfang.tenants.models import Office

logger = logging.getLogger(__name__)

BATCH = 500


def version_of(petition: Petition, record: PetitionRecord | None) -> int:
    """Microseconds of the latest change to the petition or its registry row (external version)."""
    stamps = [petition.updated_at] + ([record.updated_at] if record else [])
    return int(max(stamps).timestamp() * 1_000_000)


def document_for(
    petition: Petition,
    record: PetitionRecord | None,
    office: Office,
    petitioners: Iterable[Petitioner],
) -> dict:
    """The indexed form of a petition: never names, ID or phone numbers — only their HMACs. Numbers
    a petitioner wrote into the text itself are redacted (`pii.redact_numbers`)."""
    people = list(petitioners)
    viewers = record.viewer_codes if record and record.viewer_codes else [office.code]
    place = redact_numbers(petition.place)
    content = redact_numbers(petition.content)
    accused_body = redact_numbers(petition.accused_body)
    found = facts.extract(content=content, place=place, accused_body=accused_body)
    return {
        "petition_id": str(petition.pk),
        "matter_id": str(petition.matter_id),
        "reference": petition.reference,
        "office_code": office.code,
        "office_level": office.level,
        "province_code": office.province_code,
        "ancestor_codes": list(office.ancestor_codes),
        "viewer_codes": sorted(viewers),
        "channel": petition.channel,
        "category": petition.category,
        "category_group": petition.category.split(".")[0],
        "status": petition.status,
        "registered_at": petition.registered_at.isoformat(),
        "updated_at": petition.updated_at.isoformat(),
        "version": petition.version,
        "person_keys": sorted({p.person_key for p in people if p.person_key}),
        "phone_keys": sorted({p.phone_key for p in people if p.phone_key}),
        "identity_keys": sorted(
            {
                key
                for p in people
                for key in identity.identity_keys(
                    name=p.name, phone_key=p.phone_key, address=p.address
                )
            }
        ),
        "household_keys": sorted(
            {key for p in people for key in identity.household_keys(address=p.address)}
        ),
        "name_keys": identity.name_keys([p.name for p in people], petition.place_code),
        "kin_keys": identity.name_keys(found.kin, petition.place_code),
        "facts": found.keywords(),
        "petitioner_count": len(people),
        "place": place,
        "place_code": petition.place_code,
        "place_key": analysis.place_key(place),
        "accused_body": accused_body,
        "body_key": analysis.body_key(accused_body),
        "content": content,
        "request": redact_numbers(petition.request),
        "is_repeat": petition.is_repeat,
        "is_collective": petition.is_collective,
        "is_skip_level": petition.is_skip_level,
        "is_accusation": petition.is_accusation,
        "repeat_of_matter": str(petition.repeat_of_matter) if petition.repeat_of_matter else None,
        "source_office_code": petition.source_office_code,
    }


@dataclass
class Loaded:
    petition: Petition
    record: PetitionRecord | None
    petitioners: list[Petitioner]

    def version(self) -> int:
        return version_of(self.petition, self.record)

    def action(self, office: Office, index: str) -> dict:
        return {
            "_op_type": "index",
            "_index": index,
            "_id": str(self.petition.pk),
            "version": self.version(),
            "version_type": "external_gte",
            "_source": document_for(self.petition, self.record, office, self.petitioners),
        }


def load(petition_ids: list) -> list[Loaded]:
    """Petitions of the current office schema with their petitioners and registry rows."""
    petitions = list(Petition.objects.filter(pk__in=petition_ids).order_by())
    people: dict = {}
    for person in Petitioner.objects.filter(petition__in=petition_ids).only(
        "petition_id", "name", "address", "person_key", "phone_key"
    ):
        people.setdefault(person.petition_id, []).append(person)
    records = {
        r.petition_id: r for r in PetitionRecord.objects.filter(petition_id__in=petition_ids)
    }
    return [Loaded(p, records.get(p.pk), people.get(p.pk, [])) for p in petitions]


def index_petition(petition_id, *, index: str | None = None) -> str:
    """Index (or delete) one petition of the current office schema; returns what happened."""
    index = index or alias_name()
    loaded = load([petition_id])
    client = es_client()
    if not loaded:
        try:
            client.delete(index=index, id=str(petition_id))
        except NotFoundError:
            return "absent"
        return "deleted"
    action = loaded[0].action(connection.tenant, index)
    write = {
        "index": index,
        "id": action["_id"],
        "document": action["_source"],
        "version": action["version"],
        "version_type": "external_gte",
        # Writing to the alias never auto-creates an index under its name (a dynamic mapping).
        "require_alias": index == alias_name(),
    }
    try:
        try:
            client.index(**write)
        except NotFoundError:  # the family does not exist yet: create it, then write
            ensure_index()
            client.index(**write)
        except BadRequestError as exc:
            if not _older_mapping(str(exc)):
                raise
            ensure_index()  # the live build has an older mapping: add the new fields, write
            client.index(**write)
    except ConflictError:
        return "newer-in-index"  # a later state is already indexed: nothing to do
    return "indexed"


def index_petitions(petition_ids: list) -> dict[str, str]:
    """Index a batch of the current office's petitions in one bulk request (petitions gone from
    the schema are deleted from the index); returns {petition id: error} for those that failed.
    Raises when Elasticsearch is unavailable."""
    index = alias_name()
    loaded = load(petition_ids)
    present = {str(item.petition.pk) for item in loaded}
    actions = [item.action(connection.tenant, index) for item in loaded] + [
        {"_op_type": "delete", "_index": index, "_id": str(pk)}
        for pk in petition_ids
        if str(pk) not in present
    ]
    failures = _bulk_failures(actions)
    if any("index_not_found" in e or _older_mapping(e) for e in failures.values()):
        ensure_index()  # no family yet, or an older mapping live: bring it up, write again
        failures = _bulk_failures(actions)
    return failures


def _older_mapping(error: str) -> bool:
    """A document of the current shape refused by a build made with an older (strict) mapping."""
    return "strict_dynamic_mapping_exception" in error


def _bulk_failures(actions: list[dict]) -> dict[str, str]:
    failures = {}
    for ok, result in streaming_bulk(
        es_client(), actions, chunk_size=BATCH, raise_on_error=False, require_alias=True
    ):
        op, info = next(iter(result.items()))
        # 409: a newer version is indexed already; 404 on a delete: it was never indexed.
        if not ok and info.get("status") != 409 and not (op == "delete" and info["status"] == 404):
            failures[info["_id"]] = str(info.get("error"))[:500]
    return failures


@dataclass
class SyncReport:
    checked: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    rechecked: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "SyncReport") -> None:
        self.checked += other.checked
        self.indexed += other.indexed
        self.deleted += other.deleted
        self.failed += other.failed
        self.errors.extend(other.errors[:10])


def _petition_batches(batch: int) -> Iterator[list]:
    """Keyset-paged ids of the current office's petitions."""
    last = None
    while True:
        qs = Petition.objects.order_by("pk").values_list("pk", flat=True)
        if last is not None:
            qs = qs.filter(pk__gt=last)
        ids = list(qs[:batch])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _indexed_state(index: str, ids: list) -> dict[str, tuple[int, list]]:
    """{petition id: (_version, viewer_codes)} of the documents that exist in `index`."""
    found = es_client().mget(
        index=index, ids=[str(i) for i in ids], source_includes=["viewer_codes"], realtime=True
    )
    return {
        doc["_id"]: (doc["_version"], doc["_source"].get("viewer_codes", []))
        for doc in found["docs"]
        if doc.get("found")
    }


def sync_office(
    office: Office,
    *,
    index: str,
    only_stale: bool = True,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Write this office's petitions that are missing or stale in `index` (all if not only_stale),
    and delete documents of this office whose petition no longer exists."""
    report = SyncReport()
    client = es_client()
    with tenant_context(office):
        db_ids: set[str] = set()
        for ids in _petition_batches(batch):
            report.checked += len(ids)
            db_ids.update(str(i) for i in ids)
            loaded = load(ids)
            if only_stale:
                state = _indexed_state(index, ids)
                loaded = [
                    item
                    for item in loaded
                    if (current := state.get(str(item.petition.pk))) is None
                    or current[0] < item.version()
                    or sorted(current[1]) != sorted(_viewers(item, office))
                ]
            if loaded:
                _bulk(client, (item.action(office, index) for item in loaded), report)
            if progress:
                progress(len(ids))
        report.deleted += _delete_orphans(office, index, db_ids)
    return report


def _viewers(item: Loaded, office: Office) -> list[str]:
    return item.record.viewer_codes if item.record and item.record.viewer_codes else [office.code]


def _bulk(client, actions: Iterable[dict], report: SyncReport) -> None:
    for ok, result in streaming_bulk(
        client, actions, chunk_size=BATCH, raise_on_error=False, max_retries=2
    ):
        info = next(iter(result.values()))
        if ok:
            report.indexed += 1
        elif info.get("status") == 409:
            continue  # a newer version is already indexed
        else:
            report.failed += 1
            report.errors.append(f"{info.get('_id')}: {info.get('error')}")


def _delete_orphans(office: Office, index: str, db_ids: set[str]) -> int:
    """Documents of this office whose petition is gone from its schema."""
    from elasticsearch.helpers import scan

    orphans = [
        hit["_id"]
        for hit in scan(
            es_client(),
            index=index,
            query={"query": {"term": {"office_code": office.code}}, "_source": False},
            size=1000,
        )
        if hit["_id"] not in db_ids
    ]
    for doc_id in orphans:
        with suppress(NotFoundError):
            es_client().delete(index=index, id=doc_id)
    return len(orphans)


def offices_to_index() -> list[Office]:
    return list(Office.objects.offices().order_by("code"))


def count_petitions(offices: Iterable[Office]) -> int:
    total = 0
    for office in offices:
        with schema_context(office.schema_name):
            total += Petition.objects.count()
    return total


def reconcile(
    *, offices: list[Office] | None = None, progress: Callable[[int], None] | None = None
) -> SyncReport:
    """Index every petition missing or stale in the live index (after an outage, a lost task)."""
    index = ensure_index()
    report = SyncReport()
    offices = offices if offices is not None else offices_to_index()
    for office in offices:
        report.add(sync_office(office, index=index, progress=progress))
    es_client().indices.refresh(index=index)
    for office in offices:
        report.rechecked += recheck_unavailable(office)
    return report


def recheck_unavailable(office: Office) -> int:
    """Run again the repeat checks that found search unavailable (registration during an outage)."""
    from xinfang.search.models import RepeatCheck
    from xinfang.search.repeats import check_repeats

    done = 0
    with tenant_context(office):
        for check in RepeatCheck.objects.filter(state=RepeatCheck.State.UNAVAILABLE).select_related(
            "petition"
        ):
            done += check_repeats(check.petition).available
    return done


@dataclass
class RebuildReport(SyncReport):
    index: str = ""
    previous: list[str] = field(default_factory=list)
    resumed: bool = False


def rebuild(
    *, progress: Callable[[int], None] | None = None, offices: list[Office] | None = None
) -> RebuildReport:
    """Build the next index version from the database and move the alias to it (no downtime).

    Searches and indexing keep using the old version through the alias meanwhile. An interrupted
    rebuild leaves its unaliased newer version behind; the next rebuild resumes into it (only
    missing or stale documents are written). After the swap, a catch-up pass writes what changed
    during the build, and the old versions are deleted.
    """
    from xinfang.search.documents import (
        aliased_index,
        create_version,
        existing_versions,
        point_alias_at,
    )

    client = es_client()
    offices = offices if offices is not None else offices_to_index()
    versions = existing_versions()
    current = aliased_index()
    current_version = next((v for v, name in versions.items() if name == current), 0)
    pending = [v for v in versions if v > current_version]
    report = RebuildReport()
    if pending:
        target = versions[max(pending)]
        report.resumed = True
    else:
        target = create_version(max(versions, default=0) + 1)
    report.index = target
    client.indices.put_settings(index=target, settings={"index": {"refresh_interval": "-1"}})
    try:
        for office in offices:
            report.add(sync_office(office, index=target, progress=progress))
    finally:
        client.indices.put_settings(index=target, settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=target)
    report.previous = point_alias_at(target)
    for office in offices:  # catch up with changes written to the old version during the build
        catch_up = sync_office(office, index=target)
        report.indexed += catch_up.indexed
        report.failed += catch_up.failed
    for name in report.previous:
        client.indices.delete(index=name, ignore_unavailable=True)
    client.indices.refresh(index=target)
    return report
