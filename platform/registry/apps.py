from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "xinfang.platform.registry"
    label = "registry"
