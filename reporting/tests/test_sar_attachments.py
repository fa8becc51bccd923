"""SAR attachments download only through a scoped view, for whoever reads the SAR; media is
never served from a public /media/ URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from krupd.testing import make_user
from reporting import actions
from reporting.models import SarEdition

pytestmark = pytest.mark.django_db

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR
DATA = b"%PDF-1.4 SAR evidence"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def attachment(users):
    edition = SarEdition.objects.get(code="esa-2555")
    sar = actions.start_sar(acting_user=users[OFFICER], edition=edition, fiscal_year=2569)
    entry = sar.entries.get(item__number="1", item__indicator__number="2")
    return actions.attach_sar_document(
        acting_user=users[OFFICER], entry=entry, label="คำสั่งแต่งตั้ง",
        file=SimpleUploadedFile("order-2569.pdf", DATA),
    )  # fmt: skip


def url(attachment) -> str:
    return f"/reports/sar/attachments/{attachment.pk}/file/"


def test_sar_readers_download_the_attachment(client_for, attachment):
    for role in (OFFICER, INSPECTOR, SUPERVISOR):
        response = client_for(role).get(url(attachment))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == DATA
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;") and "order-2569" in disposition
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    page = client_for(OFFICER).get(f"/reports/sar/{attachment.entry.report_id}/").content
    assert url(attachment) in page.decode() and "/media/" not in page.decode()


def test_others_get_nothing(client, client_for, attachment, other_office, media):
    for role in (DIRECTOR, TEACHER):
        assert client_for(role).get(url(attachment)).status_code == 403, role
    client.force_login(make_user("officer-x", OFFICER, other_office))
    assert client.get(url(attachment)).status_code == 404
    client.logout()
    assert client.get(url(attachment)).status_code == 302  # to the login page
    assert (media / attachment.file.name).exists()
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    officer = client_for(OFFICER)
    assert officer.get("/reports/sar/attachments/999999/file/").status_code == 404
    attachment.file.storage.delete(attachment.file.name)
    assert officer.get(url(attachment)).status_code == 404  # file gone: 404, not 500


def test_an_attachment_is_checked_by_its_content_and_refused_naming_the_field(
    client_for, attachment, media
):
    from reporting.models import SarAttachment

    url = f"/reports/sar/{attachment.entry.report_id}/entries/{attachment.entry_id}/attach/"
    client = client_for(OFFICER)
    disguised = SimpleUploadedFile("order.pdf", b"<script>alert(document.cookie)</script>")
    response = client.post(url, {"label": "คำสั่ง", "file": disguised}, follow=True)
    page = response.content.decode()
    assert "แนบเอกสารไม่ได้" in page and "ไฟล์: ไฟล์นี้ไม่ใช่ชนิดที่รับได้" in page
    assert SarAttachment.objects.count() == 1  # only the fixture's
    genuine = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    client.post(url, {"label": "ภาพถ่าย", "file": genuine})
    assert SarAttachment.objects.count() == 2
