"""Uploaded files are recognised by their content against one allow-list, refused with a Thai
message naming the field, limited in size per kind, and served as what they are."""

import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from krupd import uploads
from krupd.downloads import UNKNOWN_CONTENT_TYPE, file_download_response

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
SCRIPT = b"alert(document.cookie)\n"
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def office_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX_BYTES = office_zip("[Content_Types].xml", "word/document.xml")
XLSX_BYTES = office_zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
PPTX_BYTES = office_zip("[Content_Types].xml", "ppt/presentation.xml")

SIGNED = {
    uploads.PDF: [b"%PDF-"],
    uploads.JPEG: [b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1"],
    uploads.PNG: [b"\x89PNG\r\n\x1a\n"],
    uploads.GIF: [b"GIF89a", b"GIF87a"],
    uploads.MP4: [b"\x00\x00\x00\x18ftypmp42", b"\x00\x00\x00\x20ftypisom"],
    uploads.MOV: [b"\x00\x00\x00\x14ftypqt  "],
}


# ------------------------------------------------------------------------- content sniffing


@given(st.sampled_from([(t, s) for t, sigs in SIGNED.items() for s in sigs]), st.binary())
def test_a_signature_decides_the_type_whatever_follows(typed, tail):
    file_type, signature = typed
    assert uploads.sniff_bytes(signature + tail) == file_type


@given(st.binary(max_size=4), st.binary())
def test_webp_is_recognised_by_its_riff_header(size, tail):
    size = size.ljust(4, b"\x00")
    assert uploads.sniff_bytes(b"RIFF" + size + b"WEBPVP8 " + tail) == uploads.WEBP


@given(st.binary(max_size=2048))
def test_any_bytes_are_sniffed_without_error_into_the_allow_list_or_nothing(data):
    found = uploads.sniff_bytes(data)
    assert found is None or found in uploads.FILE_TYPES


# Markup and scripts a browser would run, with the padding people (and attackers) put first.
markup = st.builds(
    lambda pad, bom, body, tail: pad + bom + body + tail,
    st.sampled_from([b"", b" ", b"\r\n", b"\n\n\t"]),
    st.sampled_from([b"", b"\xef\xbb\xbf"]),
    st.sampled_from([HTML, b"<svg onload=alert(1)>", b"<script>x()</script>", b"<?xml ?>"]),
    st.binary(max_size=200),
)


@given(markup)
def test_markup_is_never_an_allowed_type(data):
    assert uploads.sniff_bytes(data) is None


@given(st.sampled_from([SCRIPT, b"function f(){}\n", b"#!/bin/sh\nrm -rf /\n"]), st.text())
def test_scripts_are_refused_by_every_kind_that_takes_documents(head, text):
    data = head + text.replace("\x00", "").encode("utf-8")
    for kind in (uploads.DOCUMENT, uploads.EVIDENCE, uploads.WORKBOOK):
        assert uploads.problem(io.BytesIO(data), kind) is not None


thai_rows = st.lists(
    st.lists(
        st.text(alphabet="กขคงจฉชซญดตถทนบปผพฟภมยรลวศษสหฬอฮะาิีึืุูเแโใไ่้๊๋์ๆ๑๒๓๔๕ 1-.")
        | st.sampled_from(["  สมชาย ", "๑๒๓", "ครู\tค.ศ.", "ชื่อ,สกุล"]),
        min_size=1,
        max_size=5,
    ),
    min_size=1,
    max_size=20,
)


@given(thai_rows, st.sampled_from(["utf-8", "utf-8-sig", "cp874"]))
def test_messy_thai_csv_is_a_spreadsheet_in_either_encoding(rows, encoding):
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    data = text.encode(encoding)
    if data.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"<") or not data.strip():
        return
    assert uploads.sniff_bytes(data) == uploads.CSV
    assert uploads.problem(io.BytesIO(data), uploads.SPREADSHEET) is None


def test_a_csv_cut_inside_a_thai_character_is_still_text():
    data = ("ชื่อ,สกุล\r\n" + "สมชาย,ใจดี\r\n" * 10_000).encode()
    assert len(data) > uploads.HEAD_BYTES
    assert uploads.sniff_bytes(data) == uploads.CSV


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(DOCX_BYTES, uploads.DOCX, id="docx"),
        pytest.param(XLSX_BYTES, uploads.XLSX, id="xlsx"),
        pytest.param(PPTX_BYTES, uploads.PPTX, id="pptx"),
        pytest.param(
            office_zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"),
            None,
            id="macro-enabled-docm",
        ),
        pytest.param(office_zip("readme.txt", "evil.exe"), None, id="plain-zip"),
        pytest.param(office_zip("word/document.xml"), None, id="zip-without-office-manifest"),
        pytest.param(b"PK\x03\x04 broken", None, id="broken-zip"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old doc", None, id="old-ole-doc"),
        pytest.param(b"MZ\x90\x00 windows program", None, id="windows-program"),
        pytest.param(b"", None, id="empty"),
    ],
)
def test_office_files_are_recognised_by_the_parts_inside(data, expected):
    assert uploads.sniff_bytes(data) == expected


# ------------------------------------------------------------------------- the field


def test_the_name_plays_no_part(settings):
    field = uploads.UploadField(kind=uploads.DOCUMENT, label="ไฟล์ MOU")
    assert field.clean(SimpleUploadedFile("signed.js", PDF_BYTES)).name == "signed.js"
    for name, data in (("signed.pdf", SCRIPT), ("page.pdf", HTML), ("x.docx", b"PK\x03\x04")):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(SimpleUploadedFile(name, data))
        message = refused.value.messages[0]
        assert message.startswith("ไฟล์ MOU: ") and "PDF" in message and "ชนิด" in message


def test_each_kind_has_its_own_size_limit_from_settings(settings):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "document": 1, "evidence": 2}
    big = PDF_BYTES + b"0" * (1024 * 1024)
    document = uploads.UploadField(kind=uploads.DOCUMENT, label="เอกสารประกอบ")
    with pytest.raises(forms.ValidationError) as refused:
        document.clean(SimpleUploadedFile("a.pdf", big))
    assert "เอกสารประกอบ: ไฟล์ใหญ่เกิน 1 MB" in refused.value.messages[0]
    evidence = uploads.UploadField(kind=uploads.EVIDENCE, label="ไฟล์หลักฐาน")
    assert evidence.clean(SimpleUploadedFile("a.pdf", big))


def test_video_is_evidence_but_not_a_document():
    clip = SimpleUploadedFile("clip.mp4", SIGNED[uploads.MP4][0] + b"\x00" * 64)
    assert uploads.UploadField(kind=uploads.EVIDENCE).clean(clip)
    with pytest.raises(forms.ValidationError):
        uploads.UploadField(kind=uploads.DOCUMENT).clean(clip)


def test_the_file_picker_offers_the_kinds_extensions():
    html = uploads.UploadField(kind=uploads.WORKBOOK).widget.render("file", None)
    assert 'accept=".xlsx"' in html


def _project_modules(suffix: str):
    """`<app>.<suffix>` of each of the project's own apps that has one."""
    for config in apps.get_app_configs():
        if Path(config.path).parent == Path(django_settings.BASE_DIR):
            try:
                yield importlib.import_module(f"{config.name}.{suffix}")
            except ModuleNotFoundError:
                continue


def test_every_model_file_field_checks_its_uploads():
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, models.FileField) and not isinstance(field, uploads.UploadFileField)
    ]
    assert file_fields == []


def test_every_form_file_field_checks_its_uploads():
    unchecked, checked = [], 0
    for module in _project_modules("forms"):
        for name, form in vars(module).items():
            if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.FileField):
                    checked += 1
                    if not isinstance(field, uploads.UploadField):
                        unchecked.append(f"{module.__name__}.{name}.{field_name}")
    assert unchecked == []
    assert checked >= 9  # MOU, award, practice, PLC, lesson, SAR, O-NET, framework, import


# ------------------------------------------------------------------------- serving


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        pytest.param("evil.js", SCRIPT, "text/csv; charset=utf-8", id="script-as-plain-text"),
        pytest.param("evil.pdf", HTML, UNKNOWN_CONTENT_TYPE, id="html-named-pdf"),
        pytest.param("page.html", b"\x00\x01binary", UNKNOWN_CONTENT_TYPE, id="binary-named-html"),
        pytest.param("order.pdf", PDF_BYTES, "application/pdf", id="pdf"),
        pytest.param("photo.txt", SIGNED[uploads.PNG][0] + b"\x00" * 16, "image/png", id="png"),
        pytest.param("report.bin", DOCX_BYTES, uploads.DOCX.content_type, id="docx"),
    ],
)
def test_a_stored_file_is_served_as_what_its_content_is(
    settings, tmp_path, name, data, content_type
):
    from community.models import MOU

    settings.MEDIA_ROOT = tmp_path
    stored = MOU(title="x")
    stored.file.save(name, SimpleUploadedFile(name, data), save=False)
    response = file_download_response(stored.file)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data
    response.close()


@hsettings(max_examples=50)
@given(st.binary(max_size=512))
def test_no_content_is_ever_served_as_a_page_or_script(data):
    found = uploads.sniff_bytes(data)
    served = found.content_type if found else "application/octet-stream"
    assert not served.startswith(("text/html", "text/javascript", "application/javascript"))
    assert "xml" not in served and "svg" not in served


def test_an_office_file_that_unpacks_like_a_zip_bomb_is_refused(settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/sharedStrings.xml", b"<t>" + b"A" * (40 * 1024 * 1024))
    packed = buffer.getvalue()
    assert len(packed) < 200 * 1024
    field = uploads.UploadField(kind=uploads.WORKBOOK, label="ไฟล์ XLSX")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(SimpleUploadedFile("framework.xlsx", packed))
    assert "ขยายออก" in refused.value.messages[0]
    settings.UPLOAD_MAX_UNPACKED_MB = 1
    assert field.clean(SimpleUploadedFile("framework.xlsx", XLSX_BYTES))  # a few bytes fit
    settings.UPLOAD_MAX_UNPACKED_MB = 0
    with pytest.raises(forms.ValidationError):
        field.clean(SimpleUploadedFile("framework.xlsx", XLSX_BYTES))


def test_each_of_several_evidence_files_is_checked():
    from community.forms import PLCMeetingForm

    field = PLCMeetingForm.base_fields["files"]
    photo = SimpleUploadedFile("a.jpg", SIGNED[uploads.JPEG][0] + b"\x00" * 32)
    clip = SimpleUploadedFile("b.mov", SIGNED[uploads.MOV][0] + b"\x00" * 32)
    assert len(field.clean([photo, clip])) == 2
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([photo, SimpleUploadedFile("c.jpg", b"MZ\x90\x00 program")])
    assert refused.value.messages[0].startswith(f"{field.label}: ")
