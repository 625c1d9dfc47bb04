from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "onestop.worktime"
    label = "worktime"
    verbose_name = "工作日与时限 Working time"
