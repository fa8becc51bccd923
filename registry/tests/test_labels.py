"""School labels: a name shared by two schools shown together is followed by the OBEC code;
the school filter menus say which namesake is which."""

import pytest

from krupd.testing import make_school
from registry.labels import OFFICE_STAFF_LABEL, school_labels
from registry.models import School
from registry.picker import school_menu

pytestmark = pytest.mark.django_db


def test_namesakes_get_their_codes_and_other_schools_their_names(office, school, other_school):
    twin = make_school(office, code="1076010009", name=f" {school.name}")
    labels = school_labels([school.pk, twin.pk, other_school.pk, None])
    assert labels == {
        school.pk: f"{school.name} (1076010001)",
        twin.pk: f"{twin.name} (1076010009)",
        other_school.pk: other_school.name,
        None: OFFICE_STAFF_LABEL,
    }
    # Shown alone, a school keeps its name.
    assert school_labels([school.pk])[school.pk] == school.name


def test_the_school_menu_tells_namesakes_apart(office, school, other_school):
    twin = make_school(office, code="1076010009", name=school.name)
    menu = school_menu(School.objects.filter(office=office))
    assert dict(menu.choices) == {
        school.pk: f"{school.name} (1076010001)",
        twin.pk: f"{school.name} (1076010009)",
        other_school.pk: other_school.name,
    }
