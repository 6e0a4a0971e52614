from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xinfang.platform.supervision"
    label = "supervision"
