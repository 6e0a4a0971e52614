from django.apps import AppConfig


class PublicSiteConfig(AppConfig):
    """The petitioners' public site (信访人网站): server-rendered pages under /public/ on every
    office host (docs/public-site.md)."""

    name = "xinfang.platform.publicsite"
    label = "publicsite"
