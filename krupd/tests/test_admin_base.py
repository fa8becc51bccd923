"""Django's admin pages read and show dates in the Buddhist era, like every other form."""

import datetime as dt

from django.contrib import admin
from django.test import RequestFactory

from krupd.admin_base import ThaiAdmin
from krupd.forms import ThaiDateField
from oversight.models import InspectionRound

PROJECT_APPS = {"accounts", "registry", "staffing", "planning", "training", "community",
                "career", "reporting", "imports", "notifications", "credentials", "oversight"}  # fmt: skip


def test_every_project_admin_reads_dates_the_thai_way():
    registered = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
    ]
    assert registered
    for model, model_admin in registered:
        assert isinstance(model_admin, ThaiAdmin), model


def test_a_be_date_is_stored_as_its_ce_date():
    model_admin = admin.site._registry[InspectionRound]
    request = RequestFactory().get("/")
    field = model_admin.formfield_for_dbfield(InspectionRound._meta.get_field("due_date"), request)
    assert isinstance(field, ThaiDateField)
    assert field.clean("31/03/2570") == dt.date(2027, 3, 31)
    assert field.clean("31 มีนาคม 2570") == dt.date(2027, 3, 31)
