from django.apps import AppConfig


class KrupdConfig(AppConfig):
    name = "krupd"
    verbose_name = "KruPD"

    def ready(self) -> None:
        from . import postgres_timestamps

        postgres_timestamps.connect()
