"""Every page with a role that may use it and one that must be refused."""

import pytest
from django.urls import reverse

from imports.models import BatchStatus, ImportBatch

from .conftest import upload_file, xlsx_bytes
from .test_personnel import HEADER, person_row


@pytest.fixture
def batch(client, admin, school_a):
    client.force_login(admin)
    client.post(
        reverse("imports:upload"),
        {"kind": "personnel", "file": upload_file("a.xlsx", xlsx_bytes([HEADER, person_row(1)]))},
    )
    client.logout()
    return ImportBatch.objects.latest("pk")


def test_it_shows_the_list_to_importers_and_refuses_others(
    client, officer, supervisor, teacher, inspector
):
    client.force_login(officer)
    assert client.get(reverse("imports:list")).status_code == 200
    for user in (supervisor, teacher, inspector):
        client.force_login(user)
        assert client.get(reverse("imports:list")).status_code == 403


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302 and "login" in response.url


def test_it_shows_the_upload_page_with_the_kinds_a_role_may_import(
    client, admin, director, inspector
):
    client.force_login(admin)
    page = client.get(reverse("imports:upload")).content.decode()
    assert 'value="schools"' in page and 'value="personnel"' in page and 'value="enrolment"' in page
    client.force_login(director)
    page = client.get(reverse("imports:upload")).content.decode()
    assert 'value="schools"' not in page and 'value="personnel"' in page
    client.force_login(inspector)
    assert client.get(reverse("imports:upload")).status_code == 403


def test_it_refuses_a_director_importing_schools(client, director):
    client.force_login(director)
    content = xlsx_bytes([["รหัสสถานศึกษา", "ชื่อสถานศึกษา"], ["1076100199", "ใหม่"]])
    response = client.post(
        reverse("imports:upload"), {"kind": "schools", "file": upload_file("s.xlsx", content)}
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.xlsx", b"", "ว่าง"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        ("broken.xlsx", b"PK\x03\x04 this is not a zip", "เสียหาย"),
        ("random.bin", bytes(range(256)) * 4, "ไม่ใช่ไฟล์"),
        ("doc.pdf", b"%PDF-1.4 ...", "PDF"),
    ],
)
def test_it_explains_unreadable_files_on_the_upload_page(client, admin, name, content, message):
    client.force_login(admin)
    response = client.post(
        reverse("imports:upload"), {"kind": "personnel", "file": upload_file(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_shows_a_batch_only_to_its_office(client, batch, officer, other_admin, supervisor):
    url = reverse("imports:detail", args=[batch.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    client.force_login(supervisor)
    assert client.get(url).status_code == 403


def test_it_shows_a_director_only_their_own_batches(client, batch, director):
    client.force_login(director)
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert batch.original_name not in client.get(reverse("imports:list")).content.decode()


def test_it_serves_progress_partials_and_refreshes_when_done(client, batch, admin, teacher):
    client.force_login(admin)
    url = reverse("imports:progress", args=[batch.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.VALIDATING, processed_rows=3, total_rows=10
    )
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="3" max="10"' in page
    detail = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "<progress" in detail
    client.force_login(teacher)
    assert client.get(url).status_code == 403


def test_it_refuses_apply_to_roles_without_import(client, batch, supervisor, other_admin):
    for user in (supervisor, other_admin):
        client.force_login(user)
        assert client.post(reverse("imports:apply", args=[batch.pk])).status_code in (403, 404)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED


def test_it_accepts_apply_only_by_post(client, batch, admin):
    client.force_login(admin)
    assert client.get(reverse("imports:apply", args=[batch.pk])).status_code == 405


def test_it_downloads_templates_for_importers_only(client, admin, director, inspector):
    client.force_login(admin)
    for kind in ("personnel", "schools", "enrolment"):
        response = client.get(reverse("imports:template", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(director)
    assert client.get(reverse("imports:template", args=["schools"])).status_code == 404
    client.force_login(inspector)
    assert client.get(reverse("imports:template", args=["personnel"])).status_code == 403


def test_it_serves_the_error_file_only_when_there_are_errors(client, batch, admin, other_admin):
    client.force_login(admin)
    assert client.get(reverse("imports:error_file", args=[batch.pk])).status_code == 404
    client.force_login(other_admin)
    assert client.get(reverse("imports:error_file", args=[batch.pk])).status_code == 404


def test_it_lets_revalidate_only_importers(client, batch, admin, supervisor):
    client.force_login(supervisor)
    assert client.post(reverse("imports:revalidate", args=[batch.pk])).status_code == 403
    client.force_login(admin)
    response = client.post(reverse("imports:revalidate", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED and batch.count_new == 1


def test_it_exports_for_exporters_and_refuses_others(
    client, admin, supervisor, teacher, inspector, make_person
):
    make_person(1)
    for user in (admin, supervisor):
        client.force_login(user)
        for kind in ("personnel", "schools", "enrolment"):
            for fmt in ("xlsx", "csv"):
                response = client.get(reverse("imports:export", args=[kind]) + f"?format={fmt}")
                assert response.status_code == 200, (user, kind, fmt)
    for user in (teacher, inspector):
        client.force_login(user)
        assert client.get(reverse("imports:export", args=["personnel"])).status_code == 403
    client.force_login(admin)
    for kind in ("secrets", "results"):  # no such list to export: not found, not a crash
        assert client.get(reverse("imports:export", args=[kind])).status_code == 404


def test_it_explains_a_broken_workbook_on_the_batch_page(client, admin):
    """The upload request reads only the zip's directory; opening the workbook is the
    background validation's, which fails the batch with the same Thai message."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='a' r:id='x'/></broken")
    client.force_login(admin)
    response = client.post(
        reverse("imports:upload"),
        {"kind": "personnel", "file": upload_file("x.xlsx", buffer.getvalue())},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == BatchStatus.FAILED
    assert "เสียหาย" in batch.error_message
    assert "เสียหาย" in client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
