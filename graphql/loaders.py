"""Per-request dataloaders (graphql-sync-dataloaders): one batched query per kind of relation.

`loaders(info)` returns the request's loaders, created on first use; with the view's
`DeferredExecutionContext`, every `load()` made while resolving one level of a list is answered by
a single query. A list of petitions with their petitioners, handler and latest event therefore
costs the same number of queries for 1 or 100 petitions.
"""

from collections import defaultdict

from graphql_sync_dataloaders import SyncDataLoader

from xinfang.platform.accounts.models import Officer
from xinfang.platform.cases.models import Petitioner, PetitionEvent


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


class Loaders:
    def __init__(self):
        self.officer = SyncDataLoader(_officers)
        self.petitioners = SyncDataLoader(_petitioners)
        self.latest_event = SyncDataLoader(_latest_events)


def loaders(info) -> Loaders:
    request = info.context
    if not hasattr(request, "_xinfang_loaders"):
        request._xinfang_loaders = Loaders()
    return request._xinfang_loaders
