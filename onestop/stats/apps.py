from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "onestop.stats"
    label = "stats"
    verbose_name = "统计 Statistics"
