from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "onestop.org"
    label = "org"
    verbose_name = "组织机构 Organisation"
