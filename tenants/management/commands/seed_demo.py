from django.core.management.base import BaseCommand

from xinfang.tenants.demo import seed_offices


class Command(BaseCommand):
    help = "Create the demo offices (Zhejiang, Hangzhou, Xihu, Yuhang, Ningbo, Yinzhou) and data."

    def handle(self, *args, **options):
        for office in seed_offices():
            self.stdout.write(f"{office.code} {office.name}: http://{office.primary_host()}:8000/")
