from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "onestop.feedback"
    label = "feedback"
    verbose_name = "好差评 Feedback"
