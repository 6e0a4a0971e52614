"""Re-encrypt ID and phone numbers under the newest key of XINFANG_FIELD_KEYS, in every office.

Rotation: put the new key first in XINFANG_FIELD_KEYS (keep the old ones after it), run this
command, then drop the old keys. Re-encrypting is idempotent, so the command can be interrupted
and run again; `--office CODE` limits it to one office.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django_tenants.utils import schema_context
from rich.progress import Progress

from xinfang.platform import pii

BATCH = 1000


def rotate_office() -> int:
    """Re-encrypt every petitioner's numbers in the current office's schema; returns the rows."""
    done, last_id = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, id_number, phone FROM cases_petitioner WHERE id > %s "
                "ORDER BY id LIMIT %s FOR UPDATE",
                [last_id, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            cursor.executemany(
                "UPDATE cases_petitioner SET id_number = %s, phone = %s WHERE id = %s",
                [
                    (pii.rotate(id_number) if id_number else id_number,
                     pii.rotate(phone) if phone else phone, pk)
                    for pk, id_number, phone in rows
                ],
            )  # fmt: skip
        done += len(rows)
        last_id = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt ID and phone numbers under the newest field key (all offices)."

    def add_arguments(self, parser):
        parser.add_argument("--office", help="only this office (division code)")

    def handle(self, *args, office=None, **options):
        from xinfang.tenants.models import Office

        offices = Office.objects.offices().order_by("code")
        if office:
            offices = offices.filter(code=office)
        total = 0
        with Progress() as progress:
            bar = progress.add_task("rotating", total=offices.count())
            for each in offices:
                with schema_context(each.schema_name):
                    total += rotate_office()
                progress.advance(bar)
        self.stdout.write(f"re-encrypted {total} petitioners in {offices.count()} offices")
