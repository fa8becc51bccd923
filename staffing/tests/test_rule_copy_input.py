"""The version name of a copied rule set is read as typed, without the invisible characters
pasted at its ends (Word and web pages put zero-width spaces between Thai words)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from staffing.models import RuleSet

pytestmark = pytest.mark.django_db


def test_a_pasted_zero_width_space_makes_no_second_version_of_one_name(client_for, office):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("staffing:rule_set_copy", args=[RuleSet.objects.get(office=None).pk])
    assert client.post(url, {"version": "\u200bเขต-2570\u00a0"}).status_code == 302
    assert list(RuleSet.objects.filter(office=office).values_list("version", flat=True)) == [
        "เขต-2570"
    ]
    again = client.post(url, {"version": "เขต-2570\u200b"}, follow=True)
    assert "เขตนี้มีเกณฑ์ฉบับชื่อนี้แล้ว" in again.content.decode()
    assert RuleSet.objects.filter(office=office).count() == 1
