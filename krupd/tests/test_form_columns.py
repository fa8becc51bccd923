"""Every decimal box of the project says which database column it saves into (or that it saves
into none), and one that saves into a column holds no more digits than the column.

A plain form's box (not made from a column by a model form) knew nothing of its column: the
staffing grid's learning-area weights, the debt deductions, the PA workload hours... A value
past the column's digits passed the form and PostgreSQL refused the save with a server error
(SQLite stored it, and the page reading it back broke after). The walk below reads the source
of every app, so a box added in a form's ``__init__`` or by a helper function is found too."""

import ast
import functools
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.db import models

from krupd.forms import ThaiDecimalField, too_many_whole_digits

DECIMAL_BOXES = {"ThaiDecimalField", "ThaiBahtField", "DecimalField"}
SKIP_PARTS = {"tests", "migrations", "node_modules", ".venv", "bench", "tests_browser"}


def _source_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [
        path
        for path in sorted(base.rglob("*.py"))
        if not SKIP_PARTS & set(path.relative_to(base).parts)
    ]


# Parsing every source file costs about 2 s of CPU: done once, by the test worker that runs the
# tests below, not at collection time by every worker and every run that collects this file.
@functools.cache
def _decimal_box_calls() -> list[tuple[str, int, ast.Call]]:
    base = Path(settings.BASE_DIR)
    found = []
    for path in _source_files():
        if path.relative_to(base).as_posix() == "krupd/forms.py":
            continue  # where the boxes are defined
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in DECIMAL_BOXES:
                continue
            # models.DecimalField is a column, not a box.
            owner = getattr(getattr(node.func, "value", None), "id", None)
            if name == "DecimalField" and owner != "forms":
                continue
            found.append((path.relative_to(base).as_posix(), node.lineno, node))
    return found


def test_the_walk_finds_the_decimal_boxes():
    calls = _decimal_box_calls()
    files = {path for path, _line, _call in calls}
    assert len(calls) > 25
    assert {"staffing/forms.py", "career/forms.py", "community/forms.py"} <= files


def test_every_decimal_box_names_its_column_or_says_it_has_none():
    """``column=Model.field`` (the box then carries the column's limit) or
    ``column=NO_COLUMN``: a new box that says neither fails here, naming its file and line."""
    unsaid = [
        f"{path}:{line}"
        for path, line, call in _decimal_box_calls()
        if not any(keyword.arg == "column" for keyword in call.keywords)
    ]
    assert unsaid == []


def _instances_of_declared_boxes():
    from krupd.tests.test_thai_forms import FORMS

    for form_class in FORMS:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DecimalField):
                yield form_class, name, field


@pytest.mark.parametrize(
    ("form_class", "name", "field"),
    list(_instances_of_declared_boxes()),
    ids=lambda v: v.__name__ if isinstance(v, type) else (v if isinstance(v, str) else ""),
)
def test_a_box_holds_no_more_than_its_column(form_class, name, field):
    """Every declared box (and a model form's box made from its column) refuses a value one
    whole digit past the column, in Thai; the largest the column holds is not refused for its
    digits."""
    column = getattr(field, "column", None)
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if column is None and model is not None:
        try:
            column = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a box that is no column of the model
            column = None
    if not isinstance(column, models.DecimalField):
        pytest.skip("saves into no decimal column")
    whole = column.max_digits - column.decimal_places
    with pytest.raises(forms.ValidationError):
        field.clean(str(Decimal(10) ** whole))
    # The largest the column holds is not refused for its digits (a box with a lower
    # maximum of its own refuses it for that, naming the maximum).
    try:
        field.clean(str(Decimal(10) ** whole - 1))
    except forms.ValidationError as error:
        assert not any("หลัก" in message for message in error.messages)


def test_a_plain_box_naming_a_column_refuses_too_many_whole_digits_in_thai():
    from staffing.models import AreaWeight

    box = ThaiDecimalField(required=False, min_value=0, column=AreaWeight.weight)
    column = AreaWeight._meta.get_field("weight")
    whole = column.max_digits - column.decimal_places
    assert box.clean("๑,๒๓๔.๕") == Decimal("1234.5")
    for typed in ["12345.6", "1e10", "99999999999999999999"]:
        with pytest.raises(forms.ValidationError) as refused:
            box.clean(typed)
        assert refused.value.messages == [too_many_whole_digits(whole)]
    with pytest.raises(forms.ValidationError) as refused:
        box.clean("1.234")
    assert "ทศนิยม" in refused.value.messages[0]
