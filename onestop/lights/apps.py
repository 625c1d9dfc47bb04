from django.apps import AppConfig


class LightsConfig(AppConfig):
    name = "onestop.lights"
    label = "lights"
    verbose_name = "亮灯预警 Traffic lights"
