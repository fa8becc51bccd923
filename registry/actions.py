"""Every write to the registry: people, schools, enrolment, office rules.

Each action is atomic, takes the acting user, and leaves an audit entry, so the
web forms, the importer and management commands all behave the same way.
"""

import datetime as dt
import functools
import json
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from krupd.lib import compiled_queries
from krupd.lib.clipping import clip
from reporting import developed
from staffing import summary as staff_counts

from . import audit, quality_counts, queries
from .models import (
    AuditAction,
    Enrolment,
    OfficeRules,
    Person,
    PositionChange,
    School,
    SizeBand,
)

PERSON_AUDIT_FIELDS = [
    "national_id", "title", "first_name", "last_name", "first_name_en", "last_name_en",
    "gender", "birth_date", "personnel_type", "position", "academic_standing",
    "position_number", "salary_grade", "salary", "appointment_date", "school",
    "highest_degree", "major", "phone", "email", "status", "employment", "secondment",
    "secondment_school", "secondment_until",
]  # fmt: skip

# Changes to these are career events: they go into the person's position history too.
POSITION_HISTORY_FIELDS = {
    "personnel_type": "ประเภทบุคลากร",
    "position": "ตำแหน่ง",
    "academic_standing": "วิทยฐานะ",
    "position_number": "เลขที่ตำแหน่ง",
    "salary_grade": "อันดับ",
    "school": "สถานศึกษา",
    "status": "สถานะ",
    "employment": "ประเภทการจ้าง",
    "secondment": "การช่วยราชการ",
    "secondment_school": "สถานศึกษาที่ช่วยราชการ",
}
# A change of workplace: its history row keeps the school left (PositionChange.old_school).
WORKPLACE_HISTORY_LABEL = POSITION_HISTORY_FIELDS["school"]
# A move to another office (ย้ายต่างเขต): its own history row, the offices by name and the
# school left beside them; the staffing count of a census day before it counts the person
# at that school, in the office left (staffing.queries.office_on).
OFFICE_HISTORY_LABEL = "สังกัด"

SCHOOL_AUDIT_FIELDS = [
    "obec_code", "name", "level", "district", "subdistrict", "network",
    "latitude", "longitude",
]  # fmt: skip


# Choice fields are recorded by their Thai label: the audit page is read by people.
AUDITED_CHOICES = ("gender", "personnel_type", "highest_degree", "status", "employment",
                   "secondment")  # fmt: skip


@functools.cache
def _choice_labels(field: str) -> dict:
    """{stored value: Thai label} of a choice field, read once (get_FOO_display rebuilds the
    map at every call, which a 100,000-row import makes twice per row and field)."""
    return {value: str(label) for value, label in Person._meta.get_field(field).flatchoices}


def person_snapshot(person: Person, areas_taught: list[str] | None = None) -> dict:
    values = {name: getattr(person, name) for name in PERSON_AUDIT_FIELDS}
    return person_values_snapshot(values, areas_taught)


def person_values_snapshot(values: dict, areas_taught: list[str] | None = None) -> dict:
    """A person's audit snapshot from {field name: value} (school, standing and major as
    their rows): `person_snapshot` for writers without a Person instance (the import)."""
    data = audit.values_snapshot(values, PERSON_AUDIT_FIELDS)
    for field in AUDITED_CHOICES:
        value = values[field]
        data[field] = _choice_labels(field).get(value, str(value)) if value else ""
    if areas_taught is not None:
        data["areas_taught"] = ", ".join(sorted(areas_taught))
    return data


# A creation's audit changes list the snapshot's fields in this order (audit.diff sorts them).
_CREATED_ORDER = tuple(sorted([*PERSON_AUDIT_FIELDS, "areas_taught"]))


def person_created_changes(values: dict, areas_taught: list[str]) -> dict:
    """`audit.diff({}, person_values_snapshot(values, areas_taught))` in one pass, without the
    snapshot in between and without sorting its fields for each person: the CREATE entry of a
    new person. The import writes it as text (`PersonCreatedJson`, equal to json.dumps of
    this, by test)."""
    plain, as_text, choices = audit._AS_IS, audit._plain, _AUDITED_CHOICE_SET
    changes = {}
    for name in _CREATED_ORDER:
        if name == "areas_taught":
            changes[name] = [None, ", ".join(sorted(areas_taught))]
            continue
        value = values[name]
        if name in choices:
            value = _choice_labels(name).get(value, str(value)) if value else ""
        elif value.__class__ not in plain:
            value = as_text(value)
        if value is not None:
            changes[name] = [None, value]
    return changes


_AUDITED_CHOICE_SET = frozenset(AUDITED_CHOICES)


def _created_value(name: str, value):
    """How a creation's audit entry records one field's value (None: not recorded), as
    `person_created_changes` records it."""
    if name in _AUDITED_CHOICE_SET:
        return _choice_labels(name).get(value, str(value)) if value else ""
    return value if value.__class__ in audit._AS_IS else audit._plain(value)


class PersonCreatedJson:
    """`person_created_changes` as the JSON text `json.dumps` makes of it, for the CREATE
    entries of many new people (an import writes 100,000): each field's text for a value
    (`"gender": [null, "\\u0e2b..."]`) is made once and put together for every person who
    has it, instead of a mapping per person, its shape check and its encoding (most fields
    hold few distinct values). One per import: what it remembers lives as long as it."""

    # Distinct texts remembered per field: enough for every choice, school, date or common
    # name; a field of distinct values (national IDs, phones) stops being remembered there.
    REMEMBERED_PER_FIELD = 5_000
    # Values remembered by themselves: equal ones always make the same text (a Decimal is
    # not one: 1.0 and 1.00 are equal and print otherwise, so it is remembered by its text).
    # Saved rows (a school) are too: equal rows are the same row, whose name does not change
    # within an import.
    _KEYED_AS_IS = frozenset({str, dt.date, type(None)})

    def __init__(self) -> None:
        self._texts: dict[str, dict] = {name: {} for name in _CREATED_ORDER}

    def __call__(self, values: dict, areas_taught: list[str]) -> audit.JsonText:
        parts = []
        for name in _CREATED_ORDER:
            texts = self._texts[name]
            value = ", ".join(sorted(areas_taught)) if name == "areas_taught" else values[name]
            if value.__class__ in self._KEYED_AS_IS:
                key = value
            elif value.__class__ is Decimal:
                key = (Decimal, str(value))  # by how it prints: 1.0 and 1.00 are equal
            elif isinstance(value, Model) and value.pk is not None:
                key = value
            else:
                key = None
            text = None if key is None else texts.get(key)
            if text is None:
                text = self._text(name, value)
                if key is not None and len(texts) < self.REMEMBERED_PER_FIELD:
                    texts[key] = text
            if text:
                parts.append(text)
        return audit.JsonText("{" + ", ".join(parts) + "}")

    @staticmethod
    def _text(name: str, value) -> str:
        """The field's `"name": [null, value]` as json.dumps writes it ("" when unrecorded)."""
        if name != "areas_taught":
            value = _created_value(name, value)
        if value is None:
            return ""
        audit.validate_changes({name: [None, value]})
        return f"{audit.json_string(name)}: [null, {json.dumps(value)}]"


def _areas_of(person: Person) -> list[str]:
    if person.pk is None:
        return []
    return [area.name for area in person.areas_taught.all()]


@transaction.atomic
def save_person(
    *,
    acting_user,
    person: Person,
    areas_taught=None,
    effective_date: dt.date | None = None,
    source: str = "แก้ไขผ่านหน้าเว็บ",
) -> Person:
    """Create or update a person; audit the change and record career events in history."""
    is_new = person.pk is None
    before = {}
    stored = None
    if not is_new:
        stored = Person.objects.select_related(
            "school", "academic_standing", "major", "secondment_school", "office"
        ).get(pk=person.pk)
        before = person_snapshot(stored, _areas_of(stored))
    # Moving school or office, or a new type or status, moves the person's development hours
    # in the stored "developed" counts (reporting.developed), in this transaction.
    with developed.keeping([] if is_new else [person.pk]):
        person.save()
    if areas_taught is not None:
        person.areas_taught.set(areas_taught)
    # The stored data-quality counts of the school they were in and the one they are in now.
    quality_counts.recount(quality_counts.person_units(stored, person))
    after = person_snapshot(person, _areas_of(person))
    changes = audit.diff(before, after)
    if is_new:
        audit.record(actor=acting_user, action=AuditAction.CREATE, instance=person, changes=changes)
    elif changes:
        audit.record(actor=acting_user, action=AuditAction.UPDATE, instance=person, changes=changes)
        _record_position_history(
            acting_user=acting_user,
            person=person,
            changes=changes,
            effective_date=effective_date or timezone.localdate(),
            source=source,
            old_school_id=stored.school_id,
        )
    if stored is not None and stored.office_id != person.office_id:
        _record_office_move(
            acting_user=acting_user,
            person=person,
            stored=stored,
            effective_date=effective_date or timezone.localdate(),
            source=source,
        )
    # The stored staff counts (staffing.summary) read the status history just recorded: the
    # schools the person was and is in, and those of whoever holds their old or new number.
    staff_counts.recount(
        quality_counts.person_units(stored, person),
        position_numbers=staff_counts.person_numbers(stored, person),
    )
    return person


def position_history_entries(changes: dict) -> list[tuple[str, str, str]]:
    """(Thai label, old, new) for each career field in an audit diff; the importer uses it too."""
    return [
        (label, clip(str(changes[field][0] or ""), 200), clip(str(changes[field][1] or ""), 200))
        for field, label in POSITION_HISTORY_FIELDS.items()
        if field in changes
    ]


def _record_position_history(*, acting_user, person, changes, effective_date, source,
                             old_school_id: int | None) -> None:  # fmt: skip
    PositionChange.objects.bulk_create(
        PositionChange(
            person=person,
            effective_date=effective_date,
            field=label,
            old_value=old,
            new_value=new,
            recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
            source=source,
            old_school_id=old_school_id if label == WORKPLACE_HISTORY_LABEL else None,
        )
        for label, old, new in position_history_entries(changes)
    )


def _record_office_move(*, acting_user, person, stored, effective_date, source) -> None:
    """A move to another office in the position history: the office is no audited field,
    so without it the history did not tell the move (the change of school alone did)."""
    PositionChange.objects.create(
        person=person,
        effective_date=effective_date,
        field=OFFICE_HISTORY_LABEL,
        old_value=clip(stored.office.name, 200),
        new_value=clip(person.office.name, 200),
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
        source=source,
        old_school_id=stored.school_id,
    )


@transaction.atomic
def update_own_contact(*, acting_user, person: Person, phone: str, email: str) -> Person:
    """A teacher corrects their own phone and e-mail; nothing else is theirs to change."""
    stored = Person.objects.get(pk=person.pk)
    stored.phone, stored.email = phone, email
    return save_person(acting_user=acting_user, person=stored, source="เจ้าของข้อมูลแก้ไข")


class PersonKept(Exception):
    """The record cannot be deleted; the message says why and what to do instead."""


def delete_refusal(person: Person) -> str:
    """Why this record must not be deleted (empty when it may be)."""
    held = queries.certificates_held(person)
    if not held:
        return ""
    return (
        f"ลบ{person.full_name}ไม่ได้ เพราะมีเกียรติบัตรที่ยังใช้ได้ {held} ฉบับ "
        "ซึ่งผู้ตรวจสอบยังเปิดดูได้ด้วยรหัส หากย้ายหรือเกษียณ ให้เปลี่ยนสถานะแทนการลบ "
        "หากบันทึกผิดคน ให้เพิกถอนเกียรติบัตรในหน้าหลักสูตรหรือรอบรางวัลก่อน แล้วจึงลบ"
    )


@transaction.atomic
def delete_person(*, acting_user, person: Person) -> None:
    if refusal := delete_refusal(person):
        raise PersonKept(refusal)
    snapshot = person_snapshot(person, _areas_of(person))
    # The school whose staff counts hold them for the census day, if they moved since.
    counted_at = staff_counts.census_units(person)
    audit.record(
        actor=acting_user,
        action=AuditAction.DELETE,
        instance=person,
        changes={name: [value, None] for name, value in snapshot.items()},
    )
    with developed.keeping([person.pk]):
        person.delete()
    quality_counts.recount(quality_counts.person_units(person))
    staff_counts.recount(
        quality_counts.person_units(person) | counted_at,
        position_numbers=staff_counts.person_numbers(person),
    )


def reveal_national_id(*, acting_user, person: Person) -> str:
    """Show the full ID once and remember who looked (PDPA)."""
    audit.record(actor=acting_user, action=AuditAction.VIEW_NATIONAL_ID, instance=person)
    return person.national_id


@transaction.atomic
def save_school(*, acting_user, school: School) -> School:
    is_new = school.pk is None
    before = {}
    if not is_new:
        before = audit.snapshot(School.objects.get(pk=school.pk), SCHOOL_AUDIT_FIELDS)
    school.save()
    changes = audit.diff(before, audit.snapshot(school, SCHOOL_AUDIT_FIELDS))
    if is_new or changes:
        audit.record(
            actor=acting_user,
            action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
            instance=school,
            changes=changes,
        )
    return school


# A school's closing (ปิด/ยุบรวม): recorded and undone by close_school / reopen_school only.
SCHOOL_CLOSURE_FIELDS = ["closed_on", "merged_into", "closure_reason"]


class ClosureRefused(Exception):
    """A closing that cannot be recorded; the message names the field and why (Thai)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def closure_problem(*, school: School, merged_into: School | None) -> tuple[str, str] | None:
    """(field, Thai message) when `school` may not be merged into `merged_into`: itself, a
    school of another office, or one closed itself (its pupils would go nowhere)."""
    if merged_into is None:
        return None
    if merged_into.pk == school.pk:
        return "merged_into", "ยุบรวมกับสถานศึกษา: เลือกสถานศึกษาเดียวกับที่ปิดไม่ได้"
    if merged_into.office_id != school.office_id:
        return (
            "merged_into",
            f"ยุบรวมกับสถานศึกษา: {merged_into.name} อยู่ในสังกัดเขตพื้นที่อื่น "
            "เลือกได้เฉพาะสถานศึกษาในเขตพื้นที่เดียวกัน",
        )
    if merged_into.closed_on is not None:
        return (
            "merged_into",
            f"ยุบรวมกับสถานศึกษา: {merged_into.name} ปิด/ยุบรวมแล้ว เลือกสถานศึกษาที่ยังเปิดอยู่",
        )
    return None


@transaction.atomic
def close_school(*, acting_user, school: School, closed_on: dt.date,
                 merged_into: School | None = None, reason: str = "") -> School:  # fmt: skip
    """Record that `school` closed on `closed_on`, merged into `merged_into` if given. Its
    history stays: its people stay where they are until moved (move_people)."""
    stored = (
        School.objects.select_for_update(of=("self",))
        .select_related("merged_into")
        .get(pk=school.pk)
    )
    if merged_into is not None:  # read under lock: it may itself be closing now
        merged_into = School.objects.select_for_update().get(pk=merged_into.pk)
    if problem := closure_problem(school=stored, merged_into=merged_into):
        raise ClosureRefused(*problem)
    return _save_closure(
        acting_user, stored, closed_on=closed_on, merged_into=merged_into,
        reason=reason.strip() or None,
    )  # fmt: skip


@transaction.atomic
def reopen_school(*, acting_user, school: School) -> School:
    """Undo a recorded closing: the school is open again, as if it had never closed."""
    stored = (
        School.objects.select_for_update(of=("self",))
        .select_related("merged_into")
        .get(pk=school.pk)
    )
    return _save_closure(acting_user, stored, closed_on=None, merged_into=None, reason=None)


def _save_closure(acting_user, stored: School, *, closed_on, merged_into, reason) -> School:
    """Write a locked school's closing (all None: open), audited old → new when it changed."""
    before = audit.snapshot(stored, SCHOOL_CLOSURE_FIELDS)
    stored.closed_on, stored.merged_into, stored.closure_reason = closed_on, merged_into, reason
    stored.save(update_fields=[*SCHOOL_CLOSURE_FIELDS, "updated_at"])
    changes = audit.diff(before, audit.snapshot(stored, SCHOOL_CLOSURE_FIELDS))
    if changes:
        audit.record(actor=acting_user, action=AuditAction.UPDATE, instance=stored, changes=changes)
    return stored


@transaction.atomic
def move_people(*, acting_user, people, to_school: School, effective_date: dt.date,
                source: str = "ย้ายจากสถานศึกษาที่ปิด/ยุบรวม") -> int:  # fmt: skip
    """Move these people to `to_school` from `effective_date`, each through save_person: their
    position history keeps the school left, so counts of an earlier census day still place
    them there. Returns how many moved."""
    moved = 0
    for person in people:
        if person.school_id == to_school.pk:
            continue
        person.school = to_school
        save_person(
            acting_user=acting_user, person=person, effective_date=effective_date, source=source
        )
        moved += 1
    return moved


def size_band_for(*, office_kind: str, students: int, bands: list[SizeBand] | None = None) -> str:
    if bands is None:
        bands = list(SizeBand.objects.filter(office_kind=office_kind))
    for band in bands:
        if (
            band.office_kind == office_kind
            and students >= band.min_students
            and (band.max_students is None or students <= band.max_students)
        ):
            return band.name
    return ""


def refresh_school_totals(*, school: School, academic_year: int | None = None) -> School:
    """Copy the latest year's totals and size band onto the school row lists sort by."""
    rows = Enrolment.objects.filter(school=school)
    if academic_year is None:
        academic_year = (
            rows.order_by("-academic_year").values_list("academic_year", flat=True).first()
        )
    rows = list(rows.filter(academic_year=academic_year))
    school.total_students = sum(r.students for r in rows)
    school.total_classrooms = sum(r.classrooms for r in rows)
    school.size_band = size_band_for(office_kind=school.office.kind, students=school.total_students)
    school.save(update_fields=["total_students", "total_classrooms", "size_band", "updated_at"])
    return school


@transaction.atomic
def set_enrolment(
    *,
    acting_user,
    school: School,
    academic_year: int,
    census_date: dt.date,
    counts: dict[str, tuple[int, int]],
) -> School:
    """Replace one year's per-grade (students, classrooms) for a school."""
    before = {
        r.grade: [r.students, r.classrooms]
        for r in Enrolment.objects.filter(school=school, academic_year=academic_year)
    }
    Enrolment.objects.filter(school=school, academic_year=academic_year).delete()
    Enrolment.objects.bulk_create(
        Enrolment(
            school=school,
            academic_year=academic_year,
            census_date=census_date,
            grade=grade,
            students=students,
            classrooms=classrooms,
        )
        for grade, (students, classrooms) in counts.items()
    )
    after = {grade: [s, c] for grade, (s, c) in counts.items()}
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            instance=school,
            object_label=f"{school.name} (นักเรียนปีการศึกษา {academic_year})",
            changes=changes,
        )
    school.data_confirmed_at = timezone.now()
    school.save(update_fields=["data_confirmed_at", "updated_at"])
    return refresh_school_totals(school=school, academic_year=academic_year)


@transaction.atomic
def update_office_rules(*, acting_user, rules: OfficeRules) -> OfficeRules:
    fields = [
        "retirement_age",
        "freshness_days",
        "allow_leading_zero_or_nine_id",
        "census_day",
        "import_retention_days",
    ]
    before = {}
    if rules.pk:
        before = audit.snapshot(OfficeRules.objects.get(pk=rules.pk), fields)
    rules.save()
    changes = audit.diff(before, audit.snapshot(rules, fields))
    if changes.keys() & {"allow_leading_zero_or_nine_id", "retirement_age"}:
        # Every stored national-ID and past-retirement count was made with the old setting.
        quality_counts.forget([rules.office_id])
    if changes:
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            instance=rules,
            object_label=f"การตั้งค่า {rules.office.name}",
            office=rules.office,
            changes=changes,
        )
    return rules


def rules_for(office) -> OfficeRules:
    """The office's rules, created with defaults the first time they are needed."""
    # Read by nearly every page: its query is compiled once, not at every call.
    found = compiled_queries.objects_for(
        ("office rules",),
        lambda office_id: OfficeRules.objects.filter(office_id=office_id),
        office.pk,
        using=compiled_queries.reading(OfficeRules),
    )
    if found:
        return found[0]
    rules, _ = OfficeRules.objects.get_or_create(office=office)
    return rules


@transaction.atomic
def save_reference_rows(*, acting_user, office, formset, label: str) -> int:
    """Save edited reference rows (majors, standings, learning areas); audit each change."""
    saved = 0
    for form in formset.forms:
        if not form.has_changed():
            continue
        before = audit.snapshot(form.instance, list(form.fields)) if form.instance.pk else {}
        row = form.save()
        changes = audit.diff(before, audit.snapshot(row, list(form.fields)))
        # A major's learning area or a standing's code is read by rules over many people.
        quality_counts.reference_row_changed(row, form.changed_data)
        staff_counts.reference_row_changed(row, form.changed_data)
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            instance=row,
            object_label=f"{label}: {row}",
            office=office,
            changes=changes,
        )
        saved += 1
    return saved
