from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "onestop.seals"
    label = "seals"
    verbose_name = "电子签章 Electronic seals"
