from django.core.management.base import BaseCommand, CommandError

from xinfang.platform.errors import ServiceError
from xinfang.tenants.provisioning import OfficeSpec, provision_office


class Command(BaseCommand):
    help = "Provision one petition office: its row, its host name and its schema."

    def add_arguments(self, parser):
        parser.add_argument("code", help="GB/T 2260 division code, e.g. 330106")
        parser.add_argument("name", help="office name, e.g. 西湖区信访局")
        parser.add_argument("--level", required=True, choices=["province", "city", "county"])
        parser.add_argument("--parent", help="division code of the parent office")
        parser.add_argument("--host", required=True, help="host name, e.g. xihu.localhost")

    def handle(self, *args, **options):
        spec = OfficeSpec(
            code=options["code"],
            name=options["name"],
            level=options["level"],
            parent_code=options["parent"],
            host=options["host"],
        )
        try:
            office = provision_office(spec)
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(f"created {office} at {spec.host}"))
