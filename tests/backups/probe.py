"""Run in a subprocess against another database (DATABASE_URL): what the platform, or an office,
looks like there, through the ORM, the index and the office's GraphQL endpoint. Prints JSON.

    python -m tests.backups.probe counts
    python -m tests.backups.probe office OFFICE_CODE MATTER_ID ID_NUMBER
"""

import json
import os
import sys


def counts() -> dict:
    """Petitions per office, public rows per table, documents in the index."""
    from django.apps import apps
    from django_tenants.utils import tenant_context

    from xinfang.platform.cases.models import Petition
    from xinfang.search.client import es_client
    from xinfang.search.documents import alias_name
    from xinfang.tenants.models import Office

    found = {"petitions": {}, "public": {}}
    for office in Office.objects.offices():
        with tenant_context(office):
            found["petitions"][office.code] = Petition.objects.count()
    for label in ("exchange.Handoff", "registry.PetitionRecord", "registry.TerminatedMatter",
                  "supervision.SupervisionOrder", "tenants.Domain"):  # fmt: skip
        found["public"][label] = apps.get_model(label).objects.count()
    es_client().indices.refresh(index=alias_name())
    found["indexed"] = es_client().count(index=alias_name())["count"]
    return found


def office(code: str, matter_id: str, id_number: str) -> dict:
    """The office through its GraphQL endpoint and services, the ledger of its matters."""
    from django.test import Client
    from django_tenants.utils import tenant_context

    from tests import factories
    from tests.support.graphql import gid, gql
    from xinfang.platform.cases import services
    from xinfang.platform.cases.models import Petition
    from xinfang.platform.cases.services import PetitionerInput
    from xinfang.platform.errors import ServiceError
    from xinfang.platform.exchange.models import Handoff
    from xinfang.platform.holidays.services import ensure_calendar
    from xinfang.platform.registry.models import TerminatedMatter
    from xinfang.tenants.models import Office

    ensure_calendar()
    found = {"offices": {}}
    for office in Office.objects.offices().prefetch_related("domains"):
        with tenant_context(office):
            found["offices"][office.code] = {
                "hosts": sorted(d.domain for d in office.domains.all()),
                "petitions": Petition.objects.count(),
            }
    found["handoffs"] = sorted(
        [h.kind, h.sender_office.code, h.receiver_office.code]
        for h in Handoff.objects.select_related("sender_office", "receiver_office")
    )
    found["terminated"] = TerminatedMatter.objects.filter(matter_id=matter_id).exists()
    office = Office.objects.get(code=code)
    with tenant_context(office):
        officer = factories.officer(username="probe-officer", roles=("registrar", "leader"))
        client = Client(HTTP_HOST=office.primary_host())
        client.force_login(officer)
        listed = gql(client, "{ petitions(first: 100) { edges { node { reference } } } }")
        found["graphql_petitions"] = len(listed["data"]["petitions"]["edges"])
        timeline = gql(
            client,
            "query($m: ID!) { matter(id: $m) { timeline(first: 100) { edges { node {"
            " source eventKind handoff { kind } office { code } } } } } }",
            m=gid("Matter", code, matter_id),
        )
        entries = [edge["node"] for edge in timeline["data"]["matter"]["timeline"]["edges"]]
        found["timeline"] = sorted(
            {(e["eventKind"] or f"{e['source']}:{(e['handoff'] or {}).get('kind')}",
              e["office"]["code"]) for e in entries}
        )  # fmt: skip
        again = factories.petition(
            officer=officer, petitioners=[PetitionerInput(name="李四", id_number=id_number)]
        ).petition
        try:
            services.petition_route(petition=again, officer=officer)
            found["same_person_again"] = "routed"
        except ServiceError as exc:
            found["same_person_again"] = exc.code
        found["new_petition"] = factories.petition(officer=officer).petition.reference
    return found


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.platform.settings")
    import django

    django.setup()
    probe = {"counts": counts, "office": office}[sys.argv[1]]
    print(json.dumps(probe(*sys.argv[2:]), default=list))
