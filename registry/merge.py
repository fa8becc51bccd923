"""Merging a duplicate person record into the one kept (รวมระเบียนซ้ำ).

One teacher sometimes has two records (imported once with a mistyped national ID, or a
name spelt two ways after marriage), each holding part of their history. Deleting one would
take its enrolments, results, PA agreements, debt records, PLC memberships… with it; merging
moves everything the duplicate holds (queries.PERSON_HOLDINGS) onto the record kept, then
removes the duplicate, in one transaction: nothing is half-written.

The rules, also shown on the merge page (templates/registry/person_merge.html):

* The kept record's own details (MERGED_FIELDS: name, ID, birth date, phone, e-mail,
  position, standing, education…): a detail it has blank and the duplicate has filled is
  carried over on its own; where both have one and they differ, the officer chooses which
  record's value is kept (`choices`), by default the kept record's own. A chosen national ID
  must pass the office's ID check; it is unique once the duplicate is gone, which happens
  first in the same transaction. Workplace, status, employment and secondment are career
  events with a history of their own: they stay the kept record's (the edit page changes
  them and records the history). The learning areas taught come over when the kept record
  names none. The duplicate's details stay in the audit log (its DELETE entry holds the
  snapshot a deletion records); the kept record's UPDATE entry names what came in and each
  detail that changed, and a MERGE entry ("รวมระเบียน", AuditAction.MERGE) names the two
  records and which details took which record's value.
* Rows that are the person's one by one (position history, enrolments with their attendance,
  results and certificates, assessments, ID plans, nominations, PA agreements, standing
  requests, debt cases, PLC groups led) are repointed to the kept record: a certificate's
  code keeps resolving, since the certificate and its enrolment are the same rows.
* Memberships (PLC groups and meetings, visits, network committees, best-practice owners)
  are joined: a group both records belong to keeps one membership.
* Where both records hold the one thing a person may hold once, the merge is refused whole,
  naming each clash and what to do first; nothing is dropped on the system's own judgement:
  both enrolled (pending, enrolled or waitlisted) in the same course; both assessed in the
  same round by the same kind of rater; an ID plan of the same year; nominated in the same
  award round; a PA agreement of the same fiscal year; both with income and debt data; both
  linked to a user account still open. A teacher's account must name a person, so the way
  out is closing the one no longer used (accounts page, "เปิดใช้งานบัญชี"): a closed account
  of either record is then set apart from the person as the merge runs (its history stays),
  and the open one ends on the kept record.
* Refused: a record into itself, and records of two offices.
* Warned, and merged only when the officer confirms: different names, different birth
  dates, or two national IDs that both pass the check digit and differ by more than one
  mistyped digit or two swapped neighbours (likely two people).
* The stored summaries are kept as every write keeps them: development hours and people's
  hours of each year (reporting.developed.keeping), data-quality counts and staff counts of
  every school either record is or was counted at (quality_counts / staffing.summary).
"""

from __future__ import annotations

from django.apps import apps
from django.db import IntegrityError, transaction

from krupd.lib import thai_dates, thai_id
from reporting import developed
from staffing import summary as staff_counts

from . import audit, quality_counts
from .actions import person_snapshot, rules_for
from .models import AuditAction, Person
from .queries import PERSON_HOLDINGS, PERSON_MERGE_ENTRY, Holding, holding_rows

# The audit label of the kept record's entry that names the record merged into it.
MERGED_IN_LABEL = "รวมระเบียนซ้ำเข้ามา"
# The audit label of the removed record's entry that names the record it was merged into.
MERGED_INTO_LABEL = "รวมเข้ากับระเบียน"
NOT_CONFIRMED = (
    "ทั้งสองระเบียนมีข้อมูลที่ไม่ตรงกัน (ดูคำเตือน) หากตรวจสอบแล้วว่าเป็นบุคคลเดียวกัน ให้เลือกยืนยันก่อนกดรวมระเบียน"
)

CHANGED_MEANWHILE = "ข้อมูลของระเบียนเปลี่ยนไประหว่างการรวม จึงยังไม่ได้รวม โปรดเปิดหน้านี้ใหม่แล้วตรวจสอบอีกครั้ง"

# The details of a person a merge brings together, in the order the page lists them: carried
# over when the kept record has one blank, chosen by the officer when both differ.
MERGED_FIELDS = (
    "title", "first_name", "last_name", "first_name_en", "last_name_en", "national_id",
    "gender", "birth_date", "phone", "email", "personnel_type", "position",
    "academic_standing", "position_number", "salary_grade", "salary", "appointment_date",
    "highest_degree", "major",
)  # fmt: skip
# The officer's choice of a differing detail: the kept record's value or the duplicate's.
KEEP, DUPLICATE = "keep", "duplicate"
# The merge entry (AuditAction.MERGE) is about the kept record, with an object type of its
# own: the record's UPDATE entry stays the one entry of type "person" the merge writes.
MERGE_OBJECT_TYPE = PERSON_MERGE_ENTRY
CARRIED_LABEL = "ข้อมูลที่ระเบียนที่เก็บไว้ยังไม่มี นำมาจากระเบียนที่รวมเข้า"
CHOSEN_DUPLICATE_LABEL = "ข้อมูลที่ไม่ตรงกัน เลือกใช้ค่าของระเบียนที่รวมเข้า"
CHOSEN_KEEP_LABEL = "ข้อมูลที่ไม่ตรงกัน คงค่าของระเบียนที่เก็บไว้"
AREAS_LABEL = "กลุ่มสาระที่สอนจริง"


class MergeRefused(Exception):
    """The merge cannot be done; `messages` say each reason and what to do first (Thai)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def label(person: Person) -> str:
    """How the pages and the audit log name a record: its name and masked national ID."""
    return f"{person.full_name} ({person.masked_national_id})"


def merge_refusals(*, keep: Person, duplicate: Person) -> list[str]:
    """Why `duplicate` cannot be merged into `keep` (empty when it can), in Thai."""
    if keep.pk == duplicate.pk:
        return ["เลือกระเบียนเดียวกันไม่ได้ ให้เลือกระเบียนซ้ำอีกระเบียนหนึ่ง"]
    if keep.office_id != duplicate.office_id:
        return [f"{label(duplicate)} อยู่คนละเขตพื้นที่กับ {label(keep)} รวมได้เฉพาะระเบียนในเขตพื้นที่เดียวกัน"]
    return _clashes(keep.pk, duplicate.pk)


def _clashes(keep_id: int, dup_id: int) -> list[str]:
    """Both records hold the one thing a person may hold once: each clash, named."""
    from accounts.models import User
    from career.models import DebtProfile, PAAgreement
    from community.models import Nomination
    from planning.models import IdPlan, Response
    from training.models import ACTIVE_STATUSES, Enrolment

    found = []
    users = list(User.objects.filter(person_id__in=[keep_id, dup_id]).order_by("username"))
    if len(users) == 2 and all(u.is_active for u in users):
        names = " และ ".join(u.username for u in users)
        found.append(
            f"ทั้งสองระเบียนผูกกับบัญชีผู้ใช้ที่เปิดใช้งานอยู่ ({names}) ให้ปิดการใช้งานบัญชีที่"
            "บุคคลนี้ไม่ใช้แล้วในหน้าบัญชีผู้ใช้ก่อน (บัญชีที่ปิดแล้วจะแยกออกจากระเบียนเมื่อรวม "
            "ประวัติการใช้งานยังอยู่ครบ) แล้วจึงรวมระเบียน"
        )
    live = Enrolment.objects.filter(status__in=ACTIVE_STATUSES)
    clashing = live.filter(person_id=dup_id, course_id__in=live.filter(person_id=keep_id)
                           .values("course_id")).select_related("course")  # fmt: skip
    for e in clashing.order_by("course__title", "pk"):
        found.append(
            f"ทั้งสองระเบียนลงทะเบียนหลักสูตร “{e.course.title}” อยู่ "
            "ให้ยกเลิกการลงทะเบียนรายการที่ซ้ำในหน้าหลักสูตรก่อน "
            "(เก็บรายการที่มีผลการพัฒนาหรือเกียรติบัตรไว้)"
        )
    pairs = set(Response.objects.filter(person_id=keep_id).values_list("round_id", "rater_kind"))
    for r in Response.objects.filter(person_id=dup_id).select_related("round").order_by("pk"):
        if (r.round_id, r.rater_kind) in pairs:
            found.append(
                f"ทั้งสองระเบียนมีแบบประเมิน “{r.round.name}” ({r.get_rater_kind_display()}) "
                "ให้ตรวจสอบและเหลือไว้ชุดเดียวในหน้าการประเมินก่อน"
            )
    years = IdPlan.objects.filter(person_id=keep_id).values("year")
    for year in IdPlan.objects.filter(person_id=dup_id, year__in=years).values_list(
        "year", flat=True
    ):
        found.append(
            f"ทั้งสองระเบียนมี ID Plan ปีการศึกษา {thai_dates.year_label(year)} "
            "ให้ตรวจสอบและเหลือไว้ฉบับเดียวก่อน"
        )
    rounds = Nomination.objects.filter(person_id=keep_id).values("round_id")
    for n in Nomination.objects.filter(person_id=dup_id, round_id__in=rounds).select_related(
        "round"
    ):
        found.append(
            f"ทั้งสองระเบียนได้รับการเสนอชื่อในรอบการคัดเลือก “{n.round.title}” ให้ถอนการเสนอชื่อรายการที่ซ้ำก่อน"
        )
    fys = PAAgreement.objects.filter(person_id=keep_id).values("fiscal_year")
    for fy in PAAgreement.objects.filter(person_id=dup_id, fiscal_year__in=fys).values_list(
        "fiscal_year", flat=True
    ):
        found.append(
            f"ทั้งสองระเบียนมีข้อตกลงในการพัฒนางาน (PA) ปีงบประมาณ {thai_dates.year_label(fy)} "
            "ให้ตรวจสอบและเหลือไว้ฉบับเดียวก่อน"
        )
    if DebtProfile.objects.filter(person_id__in=[keep_id, dup_id]).count() == 2:
        found.append(
            "ทั้งสองระเบียนมีข้อมูลรายได้และหนี้สิน ให้รวมรายการไว้ในระเบียนที่จะเก็บ "
            "และลบข้อมูลของอีกระเบียนในหน้าสถานีแก้หนี้ครูก่อน"
        )
    return found


def _typo_apart(a: str, b: str) -> bool:
    """Whether two IDs differ by one mistyped digit or two neighbours swapped (or not at all)."""
    if len(a) != len(b):
        return False
    apart = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(apart) <= 1:
        return True
    i, j = (apart + [0, 0])[:2]
    return len(apart) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


def id_passes_check(person: Person) -> bool:
    """Whether the record's national ID passes the check digit (by the office's ID rule):
    the merge page marks it, so the officer keeps the record whose ID is right."""
    allow = rules_for(person.office).allow_leading_zero_or_nine_id
    return thai_id.is_valid_national_id(person.national_id, allow_leading_zero_or_nine=allow)


def merge_warnings(*, keep: Person, duplicate: Person) -> list[str]:
    """Differences that suggest two people rather than one (the officer confirms them)."""
    found = []
    if (keep.first_name, keep.last_name) != (duplicate.first_name, duplicate.last_name):
        found.append(
            f"ชื่อ-นามสกุลไม่ตรงกัน: “{keep.first_name} {keep.last_name}” กับ "
            f"“{duplicate.first_name} {duplicate.last_name}” "
            "(เช่น เปลี่ยนนามสกุลหลังสมรส หรือสะกดต่างกัน)"
        )
    if keep.birth_date and duplicate.birth_date and keep.birth_date != duplicate.birth_date:
        found.append(
            f"วันเกิดไม่ตรงกัน: {thai_dates.format_thai_date(keep.birth_date, style='long')} กับ "
            f"{thai_dates.format_thai_date(duplicate.birth_date, style='long')}"
        )
    ids = keep.national_id, duplicate.national_id
    if id_passes_check(keep) and id_passes_check(duplicate) and not _typo_apart(*ids):
        found.append(
            "เลขประจำตัวประชาชนของทั้งสองระเบียนถูกต้องตามหลักตรวจสอบ และต่างกันมากกว่า"
            "การพิมพ์ผิดหนึ่งหลักหรือสลับหลักที่อยู่ติดกัน อาจเป็นคนละคน"
        )
    return found


def field_label(name: str) -> str:
    """A detail's Thai name, as the person form names it."""
    return str(Person._meta.get_field(name).verbose_name)


def _stored(person: Person, name: str):
    return getattr(person, Person._meta.get_field(name).attname)


def _blank(value) -> bool:
    return value is None or value == ""


def carried_fields(*, keep: Person, duplicate: Person) -> list[str]:
    """The details `keep` has blank and `duplicate` has filled: the merge carries them over."""
    return [
        name
        for name in MERGED_FIELDS
        if _blank(_stored(keep, name)) and not _blank(_stored(duplicate, name))
    ]


def differing_fields(keep: Person, duplicate: Person) -> list[str]:
    """The details both records have filled, differently: the officer chooses which stays."""
    return [
        name
        for name in MERGED_FIELDS
        if not _blank(a := _stored(keep, name))
        and not _blank(b := _stored(duplicate, name))
        and a != b
    ]


def _area_names(person: Person) -> list[str]:
    return sorted(a.name for a in person.areas_taught.all())


def carried_areas(*, keep: Person, duplicate: Person) -> list[str]:
    """The duplicate's learning areas taught, when the kept record names none."""
    return [] if keep.areas_taught.exists() else _area_names(duplicate)


def posted_choices(data, *, keep: Person, duplicate: Person) -> dict[str, str]:
    """The merge page's choices ("take_<detail>": the id of the record whose value stays) as
    `merge_people` takes them; a value naming neither record is passed on as it came, for
    merge_people to refuse by the detail's name."""
    sides = {str(keep.pk): KEEP, str(duplicate.pk): DUPLICATE}
    return {
        name: sides.get(data[f"take_{name}"], data[f"take_{name}"])
        for name in MERGED_FIELDS
        if f"take_{name}" in data
    }


def choice_problems(*, keep: Person, duplicate: Person, choices: dict[str, str]) -> list[str]:
    """What is wrong with the officer's choices, each naming the detail (empty when none): a
    choice of neither record, and a chosen national ID that fails the office's ID check or
    that a third record holds (the duplicate's own goes with it, so it does not count)."""
    found = []
    for name, side in choices.items():
        if name not in MERGED_FIELDS:
            found.append("มีการเลือกข้อมูลที่เลือกไม่ได้เมื่อรวมระเบียน โปรดเปิดหน้านี้ใหม่แล้วเลือกอีกครั้ง")
        elif side not in (KEEP, DUPLICATE):
            found.append(
                f"{field_label(name)}: เลือกได้เฉพาะค่าของระเบียนที่เก็บไว้หรือของระเบียนที่รวมเข้า "
                "โปรดเลือกอีกครั้ง"
            )
    if choices.get("national_id") == DUPLICATE and "national_id" in differing_fields(
        keep, duplicate
    ):
        chosen = duplicate.national_id
        allow = rules_for(keep.office).allow_leading_zero_or_nine_id
        problem = thai_id.national_id_problem(chosen, allow_leading_zero_or_nine=allow)
        taken = Person.objects.filter(national_id=chosen).exclude(pk__in=[keep.pk, duplicate.pk])
        if problem:
            found.append(
                f"เลขประจำตัวประชาชน: ใช้เลขของ {label(duplicate)} ไม่ได้ ({problem}) "
                f"ให้เลือกเลขของ {label(keep)} แล้วแก้ไขเลขที่ถูกต้องในหน้าแก้ไขหลังรวม"
            )
        elif taken.exists():
            found.append(
                f"เลขประจำตัวประชาชน: เลขของ {label(duplicate)} มีบุคลากรอีกคนใช้อยู่แล้ว "
                f"ให้เลือกเลขของ {label(keep)}"
            )
    return found


def shown_value(person: Person, name: str) -> str:
    """A detail as the merge page shows it (the national ID masked, dates in Thai)."""
    value = _stored(person, name)
    if _blank(value):
        return "—"
    field = Person._meta.get_field(name)
    if name == "national_id":  # two masked IDs may look alike: which one is right, said
        passes = "ถูกต้องตามหลักตรวจสอบ" if id_passes_check(person) else "ไม่ผ่านหลักตรวจสอบ"
        return f"{person.masked_national_id} · {passes}"
    if field.choices:
        return str(getattr(person, f"get_{name}_display")())
    if field.is_relation:
        return str(getattr(person, name))
    if name == "salary":
        return f"{value:,.2f} บาท"
    if hasattr(value, "year"):
        return thai_dates.format_thai_date(value, style="long")
    return str(value)


def details_side_by_side(records: list[Person], keep_pk: int, posted) -> dict:
    """What the merge page shows of the two records' details: for each way round (either may be
    kept), what the kept one would take from the other; and each detail both have and differ
    in, with each record's value and the one chosen (posted, else the kept record's)."""
    a, b = records
    carried = []
    for keep, other in ((a, b), (b, a)):
        items = [
            (field_label(n), shown_value(other, n))
            for n in carried_fields(keep=keep, duplicate=other)
        ]
        if areas := carried_areas(keep=keep, duplicate=other):
            items.append((AREAS_LABEL, ", ".join(areas)))
        carried.append({"keep": keep.pk, "items": items, "shown": keep.pk == keep_pk})
    rows = [
        {
            "name": name,
            "label": field_label(name),
            "chosen": posted.get(f"take_{name}") or str(keep_pk),
            "options": [
                {"pk": p.pk, "value": shown_value(p, name), "whose": p.full_name} for p in records
            ],
        }  # fmt: skip
        for name in differing_fields(a, b)
    ]
    return {"carried": carried, "differing": rows}


def _move(holding: Holding, from_id: int, to_id: int) -> int:
    """Move one holding's rows from the duplicate to the kept record; how many it held."""
    model = apps.get_model(holding.model)
    field = model._meta.get_field(holding.field)
    if holding.kind != "member":
        return holding_rows(holding, from_id).update(**{field.attname: to_id})
    # Memberships are joined: one row per group, whichever record was in it.
    through = field.remote_field.through
    group, person = field.m2m_field_name(), field.m2m_reverse_field_name()
    held = through.objects.filter(**{person: from_id})
    count = held.count()
    both = through.objects.filter(**{person: to_id}).values(group)
    held.filter(**{f"{group}__in": both}).delete()
    held.update(**{person: to_id})
    return count


CLOSED_ACCOUNT_LABEL = "บัญชีผู้ใช้ที่ปิดใช้งานแล้ว แยกออกจากระเบียน"


def _set_apart_closed_account(keep_id: int, dup_id: int) -> str:
    """When both records have an account (one of them closed: _clashes refuses two open
    ones), the closed one stops naming the person, so one account is left to move; the
    duplicate's when both are closed. Its username, for the audit ("" when nothing was)."""
    from accounts.models import User

    users = list(User.objects.filter(person_id__in=[keep_id, dup_id]))
    if len(users) < 2:
        return ""
    closed = min(users, key=lambda u: (u.is_active, u.person_id != dup_id))
    User.objects.filter(pk=closed.pk).update(person=None)
    return closed.username


@transaction.atomic
def merge_people(
    *,
    acting_user,
    keep: Person,
    duplicate: Person,
    differences_confirmed: bool = False,
    choices: dict[str, str] | None = None,
) -> dict[str, int]:
    """Merge `duplicate` into `keep` (see the module's docstring), or raise MergeRefused.
    `choices` says, for a detail both records hold differently (MERGED_FIELDS), whether the
    kept record's value (KEEP, the default) or the duplicate's (DUPLICATE) stays.
    Returns how many rows of each holding moved, by Holding.key."""
    # Both rows locked, in id order (two officers merging the same pair wait for each other),
    # and every rule judged on what is stored now.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
        .order_by("pk")
    }  # fmt: skip
    if keep.pk not in locked or duplicate.pk not in locked:
        raise MergeRefused(["ไม่พบระเบียนที่เลือก อาจถูกลบหรือรวมไปแล้ว โปรดเปิดหน้าใหม่"])
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if refusals := merge_refusals(keep=keep, duplicate=duplicate):
        raise MergeRefused(refusals)
    warnings = merge_warnings(keep=keep, duplicate=duplicate)
    if warnings and not differences_confirmed:
        raise MergeRefused([NOT_CONFIRMED])
    choices = choices or {}
    if problems := choice_problems(keep=keep, duplicate=duplicate, choices=choices):
        raise MergeRefused(problems)

    snapshot = person_snapshot(duplicate, [a.name for a in duplicate.areas_taught.all()])
    # The schools whose stored counts hold either record now or on the census day.
    units = quality_counts.person_units(keep, duplicate)
    counted_at = staff_counts.census_units(keep, duplicate)
    numbers = staff_counts.person_numbers(keep, duplicate)
    try:
        moved = _merge(acting_user, keep, duplicate, snapshot, warnings, choices)
    except IntegrityError:
        # A clash written by someone else between the checks and the moves (the same course
        # enrolled at that moment): the database refused it, and nothing of the merge stays.
        raise MergeRefused([CHANGED_MEANWHILE]) from None
    quality_counts.recount(units)
    staff_counts.recount(
        units | counted_at | staff_counts.census_units(keep), position_numbers=numbers
    )
    return moved


@transaction.atomic  # a savepoint: a refused move leaves the caller's transaction usable
def _merge(acting_user, keep: Person, duplicate: Person, snapshot: dict, warnings: list[str],
           choices: dict[str, str]):  # fmt: skip
    carried = carried_fields(keep=keep, duplicate=duplicate)
    differing = differing_fields(keep, duplicate)
    chosen = [name for name in differing if choices.get(name) == DUPLICATE]
    kept = [name for name in differing if name not in chosen]
    areas = carried_areas(keep=keep, duplicate=duplicate)
    area_ids = list(duplicate.areas_taught.values_list("pk", flat=True)) if areas else []
    merged_in = label(duplicate)
    with developed.keeping([keep.pk, duplicate.pk]):
        set_apart = _set_apart_closed_account(keep.pk, duplicate.pk)
        moved = {h.key: _move(h, duplicate.pk, keep.pk) for h in PERSON_HOLDINGS}
        before = person_snapshot(keep)
        for name in carried + chosen:
            attname = Person._meta.get_field(name).attname
            setattr(keep, attname, getattr(duplicate, attname))
        after = person_snapshot(keep)
        changes = {MERGED_IN_LABEL: [None, merged_in]}
        if set_apart:
            changes[CLOSED_ACCOUNT_LABEL] = [set_apart, None]
        changes |= {h.label: [None, moved[h.key]] for h in PERSON_HOLDINGS if moved[h.key]}
        changes |= {name: [before[name], after[name]] for name in carried + chosen}
        if areas:
            changes["areas_taught"] = [None, ", ".join(areas)]
        if warnings:
            changes["ข้อแตกต่างที่ยืนยันว่าเป็นบุคคลเดียวกัน"] = [None, warnings]
        audit.record(actor=acting_user, action=AuditAction.UPDATE, instance=keep, changes=changes)
        audit.record(
            actor=acting_user,
            action=AuditAction.MERGE,
            instance=keep,
            object_type=MERGE_OBJECT_TYPE,
            changes=_merge_entry(merged_in, carried, chosen, kept, areas, after),
        )
        removed = {name: [value, None] for name, value in snapshot.items()}
        removed[MERGED_INTO_LABEL] = [None, label(keep)]
        audit.record(
            actor=acting_user, action=AuditAction.DELETE, instance=duplicate, changes=removed
        )
        # What is left goes with it: its hours of each year (recounted for `keep` as the
        # block ends) and its learning areas taught (in the snapshot above). It goes before
        # the kept record takes its details: a national ID chosen from it is then unique.
        duplicate.delete()
        if carried or chosen:
            keep.save()
        if area_ids:
            keep.areas_taught.set(area_ids)
    return moved


def _merge_entry(merged_in, carried, chosen, kept, areas, after) -> dict:
    """The MERGE entry's changes: the record merged in, and which details took which record's
    value ({detail's Thai name: the value it now holds}; a national ID masked, as the merge
    page shows it: the record's own UPDATE entry holds a changed one, as every edit does)."""

    def held(names):
        return {
            field_label(n): thai_id.mask_national_id(after[n]) if n == "national_id" else after[n]
            for n in names
        }

    changes = {MERGED_IN_LABEL: [None, merged_in]}
    if carried or areas:
        taken = held(carried)
        if areas:
            taken[AREAS_LABEL] = ", ".join(areas)
        changes[CARRIED_LABEL] = [None, taken]
    if chosen:
        changes[CHOSEN_DUPLICATE_LABEL] = [None, held(chosen)]
    if kept:
        changes[CHOSEN_KEEP_LABEL] = [None, held(kept)]
    return changes
