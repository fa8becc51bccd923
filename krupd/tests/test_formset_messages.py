"""A table of rows (a formset) with two rows alike says so naming its columns in Thai.

Django's message names the model's fields as the code writes them: the strategic frame page
said "kind และ number ซ้ำกัน กรุณาแก้ไขให้ไม่ซ้ำ". Every model formset is built on
``krupd.forms.ThaiModelFormSet`` or ``ThaiInlineFormSet``, which name the boxes by label."""

import importlib

import pytest
from django import forms
from django.apps import apps

from krupd.forms import ThaiInlineFormSet, ThaiModelFormSet
from krupd.testing import *  # noqa: F403 (fixtures)


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}  # fmt: skip


@pytest.mark.django_db
def test_two_strategy_rows_alike_are_named_by_their_thai_columns(office):
    from planning.forms import FrameItemFormSet
    from planning.models import StrategicFrame

    frame = StrategicFrame.objects.create(
        office=office, name="แผนกลยุทธ์", start_year=2568, end_year=2570
    )
    row = {"kind": "mission", "number": "1", "text": "พัฒนาครู", "details": ""}
    data = _management("items", 2) | {f"items-{i}-{k}": v for i in (0, 1) for k, v in row.items()}
    formset = FrameItemFormSet(data, instance=frame, prefix="items")
    assert not formset.is_valid()
    message = " ".join(formset.non_form_errors())
    assert message == "ประเภท และ ข้อ ซ้ำกัน กรุณาแก้ไขให้ไม่ซ้ำ"


@pytest.mark.django_db
def test_two_majors_alike_are_named_by_the_thai_column():
    from registry.forms import MajorFormSet

    data = _management("form", 2) | {"form-0-name": "ภาษาเขมร", "form-1-name": "ภาษาเขมร"}
    formset = MajorFormSet(data, queryset=MajorFormSet.model.objects.none())
    assert not formset.is_valid()
    assert list(formset.non_form_errors()) == ["วิชาเอก ซ้ำกัน กรุณาแก้ไข"]


def test_every_model_formset_names_its_columns_in_thai():
    found = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in {"accounts", "career", "community", "credentials",
                                              "imports", "notifications", "oversight",
                                              "planning", "registry", "reporting", "staffing",
                                              "training"}:  # fmt: skip
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, forms.BaseModelFormSet):
                found.append(name)
                assert issubclass(value, ThaiModelFormSet | ThaiInlineFormSet), name
    assert len(found) >= 12, found
