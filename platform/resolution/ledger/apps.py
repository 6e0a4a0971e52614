from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "xinfang.platform.resolution.ledger"
    label = "resolution_ledger"
