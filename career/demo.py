"""Synthetic PA, academic-standing and debt-clinic data for the demo office. Deterministic;
skips an office that already has PA agreements."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from krupd.lib import thai_dates
from registry.demo_users import office_user, office_users
from registry.models import AcademicStanding, Office, Person

from . import actions
from .models import (
    DebtCase,
    DebtProfile,
    PAAgreement,
    PAEvaluation,
    StandingRequest,
)

CREDITORS = [
    ("coop", "สหกรณ์ออมทรัพย์ครูเพชรบุรี"),
    ("gsb", "ธนาคารออมสิน"),
    ("ktb", "ธนาคารกรุงไทย"),
    ("welfare", "ช.พ.ค."),
]


def build(*, office: Office, reset: bool = False, stdout=None) -> None:
    if reset:
        PAAgreement.objects.filter(person__office=office).delete()
        DebtProfile.objects.filter(person__office=office).delete()
        DebtCase.objects.filter(person__office=office).delete()
        StandingRequest.objects.filter(person__office=office).delete()
    elif PAAgreement.objects.filter(person__office=office).exists():
        if stdout:
            stdout.write("ข้อมูล PA และหนี้สินสาธิตมีอยู่แล้ว (ใช้ --reset เพื่อสร้างใหม่)")
        return
    rng = random.Random(2569)
    with transaction.atomic():
        _pa(office, rng)
        _pack(office)
        _debt(office, rng)
        _requests(office, rng)
    if stdout:
        stdout.write(f"สร้างข้อมูล PA วิทยฐานะ และสถานีแก้หนี้ครูสาธิตให้ {office.name} แล้ว")


def _evaluators(office) -> list[User]:
    return office_users(office, (Role.SCHOOL_DIRECTOR, Role.SUPERVISOR, Role.DEVELOPMENT_OFFICER))


def _pa(office, rng):
    fy = thai_dates.fiscal_year(timezone.localdate())
    director = office_user(office, Role.SCHOOL_DIRECTOR)
    admin = office_user(office, Role.OFFICE_ADMIN)
    if director is None or director.school_id is None or admin is None:
        return
    evaluators = _evaluators(office)
    teachers = Person.objects.filter(
        school_id=director.school_id, status="active", personnel_type="teacher"
    ).order_by("id")
    teacher_user = office_user(office, Role.TEACHER)
    for n, person in enumerate(teachers):
        # Each teacher acts through a throwaway stand-in for their own login when they have none.
        acting = (
            teacher_user if teacher_user and teacher_user.person_id == person.pk else _self(person)
        )
        years = [fy - 1, fy] if acting == teacher_user else [fy]
        for year in years:
            a = actions.start_agreement(acting_user=acting, person=person, fiscal_year=year)
            a.teaching_hours, a.support_hours = Decimal(rng.choice([16, 18, 20])), Decimal("4")
            a.quality_hours, a.policy_hours = Decimal("2"), Decimal("1")
            a.challenge_title = rng.choice(
                ["การพัฒนาทักษะการอ่านจับใจความ", "การแก้โจทย์ปัญหาคณิตศาสตร์", "การเขียนสะกดคำ ป.2"]
            )
            a.challenge_problem = "นักเรียนร้อยละ 40 ยังไม่ผ่านเกณฑ์"
            a.challenge_method = "ใช้แบบฝึกและกิจกรรมกลุ่ม ผ่านกระบวนการ PLC"
            a.challenge_quant = "นักเรียนร้อยละ 80 ผ่านเกณฑ์"
            a.challenge_qual = "นักเรียนมีความมั่นใจและอ่านได้คล่องขึ้น"
            a.save()
            for item in a.items.all():
                item.tasks = f"วางแผนและดำเนินการตามตัวชี้วัด {item.indicator.number}"
                item.outcomes = "ผู้เรียนบรรลุผลลัพธ์การเรียนรู้"
                item.measures = "ร้อยละ 80 ของผู้เรียน"
                item.save()
            stage = 4 if year < fy else (n % 5)
            if acting == teacher_user and year == fy:
                continue  # the demo teacher's current agreement stays a draft to try the flow
            if stage >= 1:
                actions.submit_agreement(acting_user=acting, agreement=a)
            if stage >= 2:
                actions.decide_agreement(
                    acting_user=director, agreement=a, approve=True, note="เหมาะสม"
                )
            if stage >= 3 and len(evaluators) == 3:
                actions.assign_evaluators(acting_user=admin, agreement=a, evaluators=evaluators)
            if stage >= 4 and len(evaluators) == 3:
                indicators = list(a.edition.indicators.values_list("pk", flat=True))
                for e in PAEvaluation.objects.filter(agreement=a):
                    lv = rng.choice([3, 3, 4, 4, 2])
                    actions.submit_evaluation(
                        acting_user=e.evaluator,
                        evaluation=e,
                        indicator_levels={
                            i: min(4, max(1, lv + rng.choice([-1, 0, 0, 1]))) for i in indicators
                        },
                        method=lv,
                        quant=lv,
                        qual=rng.choice([lv, 4]),
                    )


# Where the demo teacher files each kind of her records (indicator numbers of ว 9/2564):
# courses under self-development (13), PLC under professional exchange (14), coaching
# received under applying what was learnt (15), best practices under learning media (4).
DEMO_EVIDENCE_INDICATOR = {"certificate": 13, "plc": 14, "visit": 15, "practice": 4}


def _pack(office):
    """The demo teacher's current agreement gets a workload table and an evidence pack from
    her own records, so the pack pages and the ZIP show something real."""
    teacher_user = office_user(office, Role.TEACHER)
    if teacher_user is None or not teacher_user.person_id:
        return
    fy = thai_dates.fiscal_year(timezone.localdate())
    agreement = PAAgreement.objects.filter(person_id=teacher_user.person_id, fiscal_year=fy).first()
    if agreement is None:
        return
    from . import queries

    lines = [
        {"kind": "teaching", "title": "ท21101 ภาษาไทยพื้นฐาน", "hours": Decimal("10")},
        {"kind": "teaching", "title": "ท21201 การอ่านจับใจความ (เพิ่มเติม)", "hours": Decimal("6")},
        *[
            {"kind": s.kind, "title": s.title, "hours": max(s.hours, Decimal("1"))}
            for s in queries.suggested_workload(agreement)
            if s.kind == "support" and s.title.startswith("ชุมชนการเรียนรู้")
        ],
        {"kind": "support", "title": "ครูที่ปรึกษาและระบบดูแลช่วยเหลือนักเรียน", "hours": Decimal("2")},
        {"kind": "quality", "title": "งานวัดผลและประเมินผลของโรงเรียน", "hours": Decimal("2")},
        {"kind": "policy", "title": "โครงการส่งเสริมการอ่าน", "hours": Decimal("1")},
    ]
    actions.save_workload(acting_user=teacher_user, agreement=agreement, lines=lines)
    options = queries.evidence_options(agreement.person, fiscal_year=fy)
    items = {i.indicator.number: i for i in agreement.items.select_related("indicator")}
    for kind, number in DEMO_EVIDENCE_INDICATOR.items():
        keys = [o.key for o in options if o.kind == kind][:2]
        if keys:
            actions.attach_records(
                acting_user=teacher_user,
                agreement=agreement,
                indicator=items[number].indicator,
                keys=keys,
            )
    actions.save_section_report(
        acting_user=teacher_user,
        agreement=agreement,
        item=items[13],
        report="เข้ารับการอบรมตามแผนพัฒนาตนเอง (ID Plan) และนำความรู้มาปรับแผนการจัดการเรียนรู้",
    )
    actions.attach_file_or_link(
        acting_user=teacher_user,
        agreement=agreement,
        indicator=None,
        title="วีดิทัศน์การจัดกิจกรรมการอ่านจับใจความ",
        url="https://www.youtube.com/watch?v=krupd-demo",
    )
    actions.save_section_report(
        acting_user=teacher_user,
        agreement=agreement,
        item=None,
        actual_quant="ภาคเรียนที่ 2: นักเรียนร้อยละ 68 ผ่านเกณฑ์ (จากร้อยละ 60)",
        actual_qual="นักเรียนกล้าอ่านออกเสียงและตอบคำถามจากเรื่องที่อ่านได้มากขึ้น",
    )


def _self(person):
    """An unsaved user standing for the teacher (actions check acting_user.person_id)."""
    return User(
        username=f"demo-{person.pk}", role=Role.TEACHER, office=person.office, person=person
    )


def _debt(office, rng):
    admin = office_user(office, Role.OFFICE_ADMIN)
    if admin is None:
        return
    people = list(
        Person.objects.filter(office=office, status="active", salary__isnull=False)
        .exclude(personnel_type="employee")
        .order_by("id")[:60]
    )
    teacher_user = office_user(office, Role.TEACHER)
    if teacher_user and teacher_user.person_id and teacher_user.person not in people:
        people.append(teacher_user.person)
    for person in people[::2] + (
        [teacher_user.person] if teacher_user and teacher_user.person_id else []
    ):
        if DebtProfile.objects.filter(person=person).exists():
            continue
        gross = person.salary or Decimal("30000")
        share = Decimal(str(rng.uniform(0.3, 0.8)))
        lines = []
        chosen = rng.sample(CREDITORS, rng.randint(1, 3))
        for kind, name in chosen:
            lines.append(
                {
                    "creditor_kind": kind,
                    "creditor": name,
                    "monthly": (gross * share / len(chosen)).quantize(Decimal("1")),
                    "outstanding": (gross * share * 60).quantize(Decimal("1")),
                }
            )
        actions.save_debt_profile(
            acting_user=admin,
            person=person,
            gross=gross,
            other_income=Decimal("0"),
            deductions=lines,
        )
        if rng.random() < 0.3:
            case = DebtCase(
                person=person,
                opened_on=timezone.localdate() - dt.timedelta(days=rng.randint(5, 200)),
                creditor_kind=lines[0]["creditor_kind"],
                request="ขอปรับโครงสร้างหนี้ ลดงวดชำระ",
                outcome=rng.choice(["pending", "restructured", "consolidated", "refused"]),
            )
            actions.save_debt_case(acting_user=admin, case=case)


def _requests(office, rng):
    admin = office_user(office, Role.OFFICE_ADMIN)
    k2 = AcademicStanding.objects.filter(code="k2").first()
    if admin is None or k2 is None:
        return
    for person in Person.objects.filter(
        office=office, academic_standing__code="k1", status="active"
    )[:5]:
        req = StandingRequest(
            person=person,
            to_standing=k2,
            status=rng.choice(["preparing", "submitted", "evaluating"]),
            submitted_on=timezone.localdate() - dt.timedelta(days=rng.randint(1, 90)),
        )
        actions.save_standing_request(acting_user=admin, request=req)


__all__ = ["build"]
