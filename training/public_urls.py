"""The public certificate verification address (no login): /verify/<code>/, short for QR codes."""

from django.urls import path

from . import views

urlpatterns = [path("<str:code>/", views.verify, name="training_verify")]
