from django.apps import AppConfig


class StewardsConfig(AppConfig):
    name = "onestop.stewards"
    label = "stewards"
    verbose_name = "项目管家 Stewards"

    def ready(self) -> None:
        # a red light notifies the project's stewards: lights asks us who they are (lights imports no stewards)
        from onestop.lights.subjects import register_steward_source
        from onestop.stewards.queries import current_stewards

        register_steward_source(current_stewards)
