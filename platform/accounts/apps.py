from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinfang.platform.accounts"
    label = "accounts"

    def ready(self):
        from xinfang.platform import safety  # noqa: F401  registers the default-secrets check
