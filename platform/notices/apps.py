from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xinfang.platform.notices"
    label = "notices"
    verbose_name = "notices to petitioners (告知)"

    def ready(self) -> None:
        # Every document issued to a petitioner passes through the event log's one writer
        # (cases/events.py): hear of each there, in its transaction.
        from xinfang.platform.cases import events
        from xinfang.platform.notices import services

        events.on_document(services.notices_for_document)
