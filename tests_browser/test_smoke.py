import pytest
from playwright.sync_api import expect

from accounts.models import User


@pytest.mark.browser
def test_it_logs_in_an_office_admin(page, live_server, login):
    User.objects.create_user(
        username="somchai.admin", password="krupd-browser-test", role="office_admin"
    )

    login(page, live_server, "somchai.admin", "krupd-browser-test")

    expect(page.locator("body")).to_contain_text("somchai.admin")
