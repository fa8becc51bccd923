from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "ทะเบียนสถานศึกษาและบุคลากร"
