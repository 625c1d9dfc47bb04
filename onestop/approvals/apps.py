from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "onestop.approvals"
    label = "approvals"
    verbose_name = "并联审批 Approvals"
