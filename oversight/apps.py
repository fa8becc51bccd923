from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "การกำกับติดตามระดับจังหวัด ภาค และประเทศ"
