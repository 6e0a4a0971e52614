from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "xinfang.platform.exchange"
    label = "exchange"
