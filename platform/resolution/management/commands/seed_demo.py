"""The whole demo: offices, officers, petitions in every stage and the resolution work on them.
It lives in the resolution app because that app sits above cases (no import cycle)."""

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from xinfang.platform.cases.demo import DEMO_OFFICERS, DEMO_PASSWORD, seed_demo_petitions
from xinfang.platform.resolution.demo import seed_demo_resolution
from xinfang.tenants.demo import seed_offices


class Command(BaseCommand):
    help = (
        "Create the demo offices (Zhejiang, Hangzhou, Xihu, Yuhang, Ningbo, Yinzhou), their "
        "officers, about 30 petitions each and the resolution work on them (visits, a hard case, "
        "outcomes, a care plan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--petitions", type=int, default=30, help="petitions per office")

    def handle(self, *args, petitions=30, **options):
        for office in seed_offices():
            with tenant_context(office):
                created = seed_demo_petitions(count=petitions)
                visits = seed_demo_resolution()
            self.stdout.write(
                f"{office.code} {office.name}: http://{office.primary_host()}:8000/ "
                f"({created} new petitions, {visits} new visits)"
            )
        self.stdout.write(
            f"officers in every office: {', '.join(DEMO_OFFICERS)} (password {DEMO_PASSWORD})"
        )
