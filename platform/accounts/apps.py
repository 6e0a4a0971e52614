from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinfang.platform.accounts"
    label = "accounts"
