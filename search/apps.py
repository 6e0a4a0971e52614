from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "xinfang.search"
    label = "search"
    verbose_name = "search: repeat and collective petitions"

    def ready(self) -> None:
        # Index petitions after every committed change (search/signals.py says which signals).
        from xinfang.search import signals

        signals.connect()
