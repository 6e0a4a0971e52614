from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "xinfang.tenants"
    label = "tenants"
    verbose_name = "信访部门 offices"
