"""`manage.py create_officer 330106 admin --roles admin`: an officer of an office, typically the
first admin of a new one (before it there is nobody to log in and create officers).

The password is asked twice on a terminal, read from the environment variable named by
`--password-env`, or else generated and printed once. It must pass the password validators.
"""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from xinfang.platform.accounts import services
from xinfang.platform.accounts.models import Role
from xinfang.platform.errors import ServiceError
from xinfang.tenants.models import Office


class Command(BaseCommand):
    help = "Create an officer of an office (e.g. the first admin of a new office)."

    def add_arguments(self, parser):
        parser.add_argument("office", help="the office's division code, e.g. 330106")
        parser.add_argument("username")
        parser.add_argument("--roles", default=Role.ADMIN, help="comma-separated, e.g. admin")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password-env", help="read the password from this variable")

    def handle(self, *args, office, username, roles, full_name, password_env, **options):
        found = Office.objects.offices().filter(code=office).first()
        if found is None:
            raise CommandError(f"no office with the code {office}")
        password, shown = self._password(password_env)
        with tenant_context(found):
            try:
                officer = services.officer_create(
                    by=None, username=username, password=password,
                    roles=[r.strip() for r in roles.split(",") if r.strip()], full_name=full_name,
                )  # fmt: skip
            except ServiceError as error:
                raise CommandError(f"{error.code}: {error.message}") from error
        self.stdout.write(
            self.style.SUCCESS(f"{found.code} {found.name}: officer {officer.username} created")
        )
        if shown:
            self.stdout.write(f"password (shown once): {password}")

    def _password(self, variable: str | None) -> tuple[str, bool]:
        if variable:
            if not os.environ.get(variable):
                raise CommandError(f"{variable} is empty")
            return os.environ[variable], False
        if sys.stdin.isatty():
            first = getpass.getpass("password: ")
            if first != getpass.getpass("again: "):
                raise CommandError("the passwords differ")
            return first, False
        return services.generated_password(), True
