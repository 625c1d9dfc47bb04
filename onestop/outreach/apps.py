from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "onestop.outreach"
    label = "outreach"
    verbose_name = "帮办代办与企业特派员 Outreach"
