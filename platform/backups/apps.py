from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "xinfang.platform.backups"
    label = "backups"
    verbose_name = "backups and office moves"
