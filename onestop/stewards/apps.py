from django.apps import AppConfig


class StewardsConfig(AppConfig):
    name = "onestop.stewards"
    label = "stewards"
    verbose_name = "项目管家 Stewards"
