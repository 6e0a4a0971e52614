"""Per-request dataloaders (graphql-sync-dataloaders): one batched query per kind of relation.

`loaders(info)` returns the request's loaders, created on first use; with the view's
`DeferredExecutionContext`, every `load()` made while resolving one level of a list is answered by
a single query. A list of petitions with their petitioners, handler and latest event therefore
costs the same number of queries for 1 or 100 petitions.
"""

from collections import defaultdict

from django.db import connection
from graphql_sync_dataloaders import SyncDataLoader, SyncFuture

from xinfang.platform.accounts.models import Officer
from xinfang.platform.cases import finality
from xinfang.platform.cases.models import Petitioner, PetitionEvent
from xinfang.search import selectors as search_selectors
from xinfang.tenants.models import Domain, Office


def _officers(ids):
    by_id = {o.pk: o for o in Officer.objects.filter(pk__in=ids)}
    return [by_id.get(i) for i in ids]


def _petitioners(petition_ids):
    grouped = defaultdict(list)
    for petitioner in Petitioner.objects.filter(petition_id__in=petition_ids):
        grouped[petitioner.petition_id].append(petitioner)
    return [grouped.get(pk, []) for pk in petition_ids]


def _latest_events(petition_ids):
    latest = {
        event.petition_id: event
        for event in PetitionEvent.objects.filter(petition_id__in=petition_ids)
        .order_by("petition_id", "-at", "-id")
        .distinct("petition_id")
    }
    return [latest.get(pk) for pk in petition_ids]


def _office_hosts(office_ids):
    hosts = dict(
        Domain.objects.filter(tenant_id__in=office_ids, is_primary=True).values_list(
            "tenant_id", "domain"
        )
    )
    return [hosts.get(pk) for pk in office_ids]


def _offices_by_code(codes):
    by_code = {o.code: o for o in Office.objects.offices().filter(code__in=codes)}
    return [by_code.get(code) for code in codes]


def _parent_chains(ancestor_code_lists):
    """Each office's ancestors nearest first, keyed by its `ancestor_codes` (one query)."""
    codes = {code for chain in ancestor_code_lists for code in chain}
    by_code = {o.code: o for o in Office.objects.filter(code__in=codes).prefetch_related("domains")}
    return [[by_code[c] for c in reversed(chain) if c in by_code] for chain in ancestor_code_lists]


def _children(office_ids):
    grouped = defaultdict(list)
    children = Office.objects.offices().filter(parent_id__in=office_ids).order_by("code")
    for child in children.prefetch_related("domains"):
        grouped[child.parent_id].append(child)
    return [grouped.get(pk, []) for pk in office_ids]


def _can_open(petition_ids):
    """May the request's office open each petition (any office's)? One registry query."""
    openable = search_selectors.openable(connection.tenant, petition_ids)
    return [str(pk) in openable for pk in petition_ids]


def _terminations(petitions):
    """The terminated matter each petition of this office is linked to (cases/finality.py): two
    queries for the page."""
    return finality.terminations_of(petitions)


def then(future: SyncFuture, fn):
    """`fn(value)` once the loader's `future` has its value: a future the execution context
    waits for like the loader's own (it dispatches the same batch)."""
    if future.done():
        return fn(future.result())
    mapped = SyncFuture()
    mapped.deferred_callback = future.deferred_callback

    def done():
        try:
            mapped.set_result(fn(future.result()))
        except Exception as error:  # the field's error, as any resolver's
            mapped.set_exception(error)

    future.add_done_callback(done)
    return mapped


class Loaders:
    def __init__(self):
        self.officer = SyncDataLoader(_officers)
        self.petitioners = SyncDataLoader(_petitioners)
        self.latest_event = SyncDataLoader(_latest_events)
        self.office_host = SyncDataLoader(_office_hosts)
        self.office_by_code = SyncDataLoader(_offices_by_code)
        self.parent_chain = SyncDataLoader(_parent_chains)
        self.children = SyncDataLoader(_children)
        self.can_open = SyncDataLoader(_can_open)
        self.termination = SyncDataLoader(_terminations)  # keyed by the petition itself


def loaders(info) -> Loaders:
    request = info.context
    if not hasattr(request, "_xinfang_loaders"):
        request._xinfang_loaders = Loaders()
    return request._xinfang_loaders
