from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "การพัฒนาและประเมินผล"

    def ready(self) -> None:
        from credentials import achievements, standing

        achievements.register("course", "training.certificates.course_achievement")
        standing.register("course", "training.certificates.credential_standing")
