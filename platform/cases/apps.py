from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "xinfang.platform.cases"
    label = "cases"
