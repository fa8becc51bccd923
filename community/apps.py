from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "ชุมชนการเรียนรู้ นิเทศ เครือข่าย รางวัล และแนวปฏิบัติที่ดี"

    def ready(self) -> None:
        from credentials import achievements

        achievements.register("award", "community.certificates.award_achievement")
