from django.apps import AppConfig


class CareerConfig(AppConfig):
    name = "career"
    verbose_name = "PA วิทยฐานะ และการแก้ไขหนี้สินครู"
