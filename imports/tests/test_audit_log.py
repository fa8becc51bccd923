"""Every kind of audit entry renders on the audit page, on every page of it and under every
action filter: the sensitive events (a full-ID export, an applied import) wrote `changes` in
shapes the page could not read, so the log broke exactly when it mattered."""

import re

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.models import ImportBatch
from krupd.lib.audit_changes import changes_problem, normalised_changes
from registry import audit
from registry.models import AuditAction, AuditEntry

from .conftest import upload_file, xlsx_bytes
from .test_personnel import HEADER, person_row


def audit_pages(client) -> list[int]:
    """Status of the audit page: first page, second page, and filtered by each action."""
    url = reverse("registry:audit")
    urls = [url, url + "?page=2", url + "?page=x", url + "?page=99999999999"]
    urls += [f"{url}?action={value}" for value, _ in AuditAction.choices]
    urls += [f"{url}?action={value}&page=2" for value, _ in AuditAction.choices]
    return [client.get(u).status_code for u in urls]


def test_every_entry_the_product_writes_renders(client, admin, school_a, make_person):
    client.force_login(admin)
    make_person(5, school=school_a)
    # A full-ID export (the most sensitive event) and an applied import, through their pages.
    response = client.get(reverse("imports:export", args=["personnel"]) + "?format=xlsx")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    client.post(
        reverse("imports:upload"),
        {"kind": "personnel", "file": upload_file("a.xlsx", xlsx_bytes([HEADER, person_row(1)]))},
    )
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()
    # Enough entries for a second page, the export and the import among them.
    for i in range(60):
        audit.record(actor=admin, action=AuditAction.VIEW_DEBT, object_type="debtcase",
                     object_id=str(i), office=admin.office, changes={})  # fmt: skip
    AuditEntry.objects.filter(action__in=[AuditAction.EXPORT, AuditAction.IMPORT]).update(
        at="2000-01-01T00:00:00Z"
    )
    for entry in AuditEntry.objects.all():
        assert changes_problem(entry.changes) == "", (entry.action, entry.changes)
    assert set(audit_pages(client)) == {200}
    page = client.get(reverse("registry:audit") + "?action=export").content.decode()
    assert "ตัวกรอง" in page
    page = client.get(reverse("registry:audit") + "?action=import").content.decode()
    assert "เพิ่มใหม่" in page and "a.xlsx" in page


@pytest.mark.parametrize(
    "changes",
    [
        {"filters": {"school": "12", "status": "active"}},  # the old export shape
        {"ไฟล์": "a.xlsx", "เพิ่มใหม่": 3},  # the old import shape
        {"scores": [None, {"1": "4.5"}], "evaluators": [None, ["a", "b"]]},
        ["not", "a", "mapping"],
        {"x": [1, 2, 3]},
    ],
)
def test_it_refuses_other_shapes_and_the_normaliser_makes_old_ones_readable(client, admin, changes):
    problem = changes_problem(changes)
    if problem:
        with pytest.raises(ValueError):
            audit.record(actor=admin, action=AuditAction.UPDATE, object_type="x", changes=changes)
        # A row written before the check (as older versions did) still renders once normalised.
        AuditEntry.objects.create(office=admin.office, action=AuditAction.EXPORT,
                                  object_type="export", changes=changes)  # fmt: skip
    fixed = normalised_changes(changes)
    assert changes_problem(fixed) == ""
    client.force_login(admin)
    assert set(audit_pages(client)) == {200}


def test_the_data_migration_rewrites_old_shapes(admin):
    from importlib import import_module

    from django.apps import apps

    entry = AuditEntry.objects.create(office=admin.office, action=AuditAction.EXPORT,
                                      object_type="export",
                                      changes={"filters": {"school": "12"}})  # fmt: skip
    import_module("registry.migrations.0006_normalise_audit_changes").normalise(apps, None)
    entry.refresh_from_db()
    assert entry.changes == {"filters": [None, {"school": "12"}]}


# What an entry may hold that no writer of today produces but the table allows (entries from
# older versions, written by a script, about rows deleted since): the page shows each as text.
ODD_CHANGES = {
    "ข้อความยาว": ["<b>ตัวหนา</b>" * 1000, '{"ชื่อ": "ครู\\"สมใจ\\""}'],
    "ตัวเลขไทย": [0, "๑,๒๓๔.๕๐"],
    "ค่าว่าง": [None, False],
}


@pytest.mark.parametrize(
    "object_type, object_id",
    [("person", ""), ("person", "ก๑"), ("school", ""), ("school", "x"),
     ("person", "99999999999999999999"), ("school", "-3")],
)  # fmt: skip
def test_odd_object_ids_and_values_render_unlinked(client, admin, officer, object_type, object_id):
    AuditEntry.objects.create(office=admin.office, action=AuditAction.UPDATE,
                              object_type=object_type, object_id=object_id,
                              object_label="ก" * 200, changes=ODD_CHANGES)  # fmt: skip
    client.force_login(officer)
    assert client.get(reverse("registry:audit")).status_code == 403
    client.force_login(admin)
    assert set(audit_pages(client)) == {200}
    page = client.get(reverse("registry:audit")).content.decode()
    assert "<b>" not in page and "&lt;b&gt;ตัวหนา" in page and "๑,๒๓๔.๕๐" in page
    assert not re.search(r'href="/registry/(people|schools)/[^"]', page)


def test_entries_link_to_their_record_only_while_it_exists(client, admin, school_a, school_x,
                                                           make_person):  # fmt: skip
    kept, gone = make_person(2, school=school_a), make_person(3, school=school_a)
    for person in (kept, gone):
        audit.record(actor=admin, action=AuditAction.UPDATE, instance=person, changes={})
    for school in (school_a, school_x):  # the other office's school: never linked
        audit.record(actor=admin, action=AuditAction.UPDATE, instance=school,
                     office=admin.office, changes={})  # fmt: skip
    gone_url = reverse("registry:person_detail", args=[gone.pk])
    gone.delete()
    client.force_login(admin)
    page = client.get(reverse("registry:audit")).content.decode()
    assert reverse("registry:person_detail", args=[kept.pk]) in page
    assert reverse("registry:school_detail", args=[school_a.pk]) in page
    assert gone_url not in page
    assert reverse("registry:school_detail", args=[school_x.pk]) not in page


@pytest.mark.parametrize("code", ["login_fail", "purge", "x"])
def test_an_action_code_no_release_names_shows_a_thai_label(client, admin, officer, code):
    """An entry whose code is not in AuditAction (written by another release, or by hand)
    showed the code itself, in English, on the log and in a person's own-data export."""
    from registry.models import UNKNOWN_AUDIT_ACTION_LABEL

    entry = AuditEntry.objects.create(office=admin.office, action=code, object_type="school",
                                      object_label="โรงเรียนบ้านนา")  # fmt: skip
    assert entry.action_label == UNKNOWN_AUDIT_ACTION_LABEL
    assert str(entry).endswith(f"{UNKNOWN_AUDIT_ACTION_LABEL} โรงเรียนบ้านนา")
    known = AuditEntry(action=AuditAction.EXPORT)
    assert known.action_label == "ส่งออกข้อมูล"
    client.force_login(officer)
    assert client.get(reverse("registry:audit")).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("registry:audit")).content.decode()
    assert UNKNOWN_AUDIT_ACTION_LABEL in page and f">{code}<" not in page


THAI = re.compile(r"[\u0e00-\u0e7f]")


def _object_types() -> list[str]:
    from django.apps import apps

    return sorted({m._meta.model_name for m in apps.get_models()} | {"export", "line_link", "pa"})


@pytest.mark.parametrize("object_type", _object_types())
def test_every_column_of_every_record_is_named_in_thai_on_the_log(object_type):
    """The log showed the keys of `changes` as written ("sort_order", "copied_from",
    "needs_review") for every record but people, schools and office rules."""
    from django.apps import apps

    models_named = [m for m in apps.get_models() if m._meta.model_name == object_type]
    keys = [f.name for m in models_named for f in m._meta.concrete_fields]
    keys += ["copied_from", "window", "created", "quiz_pass_pct", "ตัวกรอง"]
    entry = AuditEntry(object_type=object_type, changes={k: [None, "x"] for k in keys})
    for label, _old, _new in entry.readable_changes():
        assert THAI.search(label), (object_type, label)


@settings(max_examples=40, deadline=None)
@given(key=st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True))
def test_a_key_no_one_named_is_still_shown_in_thai(key):
    entry = AuditEntry(object_type="topic", changes={key: ["ก", "ข"]})
    [(label, old, new)] = entry.readable_changes()
    assert THAI.search(label) and (old, new) == ("ก", "ข")


def test_dates_in_entries_read_in_the_buddhist_era(client, admin, school_a, make_person):
    """An edit stores dates as JSON holds them (ISO, Christian era): the log shows them as the
    office reads a date, never "1985-03-15"; text that only looks like one stays as written."""
    person = make_person(1, school=school_a)
    audit.record(actor=admin, action=AuditAction.UPDATE, instance=person, changes={
        "birth_date": ["1985-03-15", "1986-03-15"],
        "appointment_date": [None, "2024-05-16"],
        "submitted_at": [None, "2026-12-08T03:15:00+00:00"],  # 10:15 in Thailand
        "reason": [None, "2569-02-30"],  # a typed text shaped like a date, no real date
    })  # fmt: skip
    entry = AuditEntry.objects.latest("pk")
    shown = {label: (old, new) for label, old, new in entry.readable_changes()}
    assert ("15 มี.ค. 2528", "15 มี.ค. 2529") in shown.values()
    assert ("", "16 พ.ค. 2567") in shown.values()
    assert ("", "8 ธ.ค. 2569 10:15 น.") in shown.values()
    assert ("", "2569-02-30") in shown.values()
    client.force_login(admin)
    page = client.get(reverse("registry:audit")).content.decode()
    assert "15 มี.ค. 2528" in page and "1985-03-15" not in page
