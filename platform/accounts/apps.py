from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinfang.platform.accounts"
    label = "accounts"

    def ready(self):
        from django.db.models.signals import pre_save

        from xinfang.platform import safety  # noqa: F401  registers the default-secrets check
        from xinfang.platform.validation import guard_saves

        # Platform-wide: every xinfang model's lengths, characters and ranges on every save.
        pre_save.connect(guard_saves, dispatch_uid="xinfang.platform.validation")
