from django.apps import AppConfig


class PublicSiteConfig(AppConfig):
    """The petitioners' public site (信访人网站): server-rendered pages under /public/ on every
    office host (docs/public-site.md)."""

    name = "xinfang.platform.publicsite"
    label = "publicsite"

    def ready(self) -> None:
        # Attachments filed online travel with every copy handed to another office
        # (exchange/services/copies.py), in the handoff's transaction.
        from xinfang.platform.exchange.services import copies
        from xinfang.platform.publicsite import attachments

        copies.on_copy(attachments.follow_copy)
