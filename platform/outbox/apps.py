from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "xinfang.platform.outbox"
    label = "outbox"
    verbose_name = "outbox: work that follows a commit"

    def ready(self) -> None:
        # Every app declares the effects it records, with their handlers, in its `effects.py`.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("effects")
