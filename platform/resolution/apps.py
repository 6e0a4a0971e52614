from django.apps import AppConfig


class ResolutionConfig(AppConfig):
    name = "xinfang.platform.resolution"
    label = "resolution"

    def ready(self) -> None:
        # The workflow's requirements and consequences that belong to resolving a matter.
        from xinfang.platform.resolution import hooks

        hooks.register()
