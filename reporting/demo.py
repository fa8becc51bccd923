"""Demo data for the reporting app: O-NET means for three academic years, an SAR draft with
some narratives and an inspection report draft, for the demo office (seed_demo)."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from registry.models import Office, School

from . import actions
from .models import OnetNationalMean, OnetResult, SarEdition
from .queries import current_fiscal_year

SUBJECTS = {"p6": ["ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์", "ภาษาอังกฤษ"],
            "m3": ["ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์", "ภาษาอังกฤษ"]}  # fmt: skip
BASE = {"ภาษาไทย": 50, "คณิตศาสตร์": 33, "วิทยาศาสตร์": 36, "ภาษาอังกฤษ": 38}


DEMO_SOURCE = "ค่าตัวอย่างของระบบสาธิต ไม่ใช่ผลที่ สทศ. ประกาศ"


def _national_means(office: Office, years: list[int], rng: random.Random) -> None:
    """Invented national means for the demo only, labelled as such in their source. The
    latest tested year is left empty, as before NIETS publishes it, so the demo also shows
    a network goal waiting for its national mean."""
    OnetNationalMean.objects.filter(office=office, source=DEMO_SOURCE).delete()
    OnetNationalMean.objects.bulk_create(
        [
            OnetNationalMean(office=office, academic_year=year, grade=grade, subject=subject,
                             mean=Decimal(f"{BASE[subject] + i * 3 + rng.uniform(-1, 1):.2f}"),
                             source=DEMO_SOURCE)
            for i, year in enumerate(years)
            for grade, subjects in SUBJECTS.items()
            for subject in subjects
        ],
        ignore_conflicts=True,  # a mean the office typed itself is kept
    )  # fmt: skip


@transaction.atomic
def build_reporting_demo(*, office: Office, seed: int = 2569) -> dict:
    rng = random.Random(seed)
    fy = current_fiscal_year()
    years = [fy - 4, fy - 3, fy - 2, fy - 1]  # academic years tested in fiscal years fy-3 … fy
    rows = []
    for school in School.objects.filter(office=office).order_by("obec_code"):
        grades = ["p6", "m3"] if school.level == "expansion" else ["p6"]
        skill = rng.uniform(-6, 6)
        for grade in grades:
            for subject in SUBJECTS[grade]:
                for i, year in enumerate(years):
                    mean = BASE[subject] + skill + i * rng.uniform(1.5, 4.5) + rng.uniform(-2, 2)
                    rows.append(
                        OnetResult(school=school, academic_year=year, grade=grade,
                                   subject=subject, mean=Decimal(f"{mean:.2f}"))
                    )  # fmt: skip
    OnetResult.objects.of_office(office).filter(academic_year__in=years).delete()
    OnetResult.objects.bulk_create(rows, batch_size=2000)
    _national_means(office, years[:-1], rng)
    officer = User.objects.filter(office=office, role=Role.DEVELOPMENT_OFFICER).first()
    made = {"onet": len(rows)}
    if officer is not None:
        edition = SarEdition.objects.get(code="esa-2555")
        actions.start_sar(acting_user=officer, edition=edition, fiscal_year=fy, round_number=1)
        sar = actions.start_sar(
            acting_user=officer, edition=edition, fiscal_year=fy, round_number=2
        )
        first = sar.entries.filter(item__number="1", item__indicator__number="2").first()
        if first and not first.success_factors:
            first.success_factors = (
                "การสนับสนุนของผู้บริหารหน่วยงาน\nการวางแผนการทำงานอย่างเป็นระบบ\n"
                "จัดเก็บข้อมูลสารสนเทศของข้าราชการครูและบุคลากรทางการศึกษาในระบบ KruPD"
            )
            first.points_to_develop = "โรงเรียนบางแห่งยังไม่ยืนยันข้อมูลภายในกำหนด"
            first.guidelines = "ติดตามให้โรงเรียนยืนยันข้อมูลทุกภาคเรียน"
            first.save()
        actions.start_inspection(acting_user=officer, fiscal_year=fy)
        made["sar"] = sar.pk
    return made
