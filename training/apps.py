from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "การพัฒนาและประเมินผล"

    def ready(self) -> None:
        from credentials import achievements

        achievements.register("course", "training.certificates.course_achievement")
