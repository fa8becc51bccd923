"""The SAR's and the inspection report's counts of people say what the pages and the tables
beside them say: PA agreements of the teachers counted, award selections of the year the
awards table shows."""

import datetime as dt

import pytest

from career.models import PAAgreement, PAEdition
from community.models import (
    AwardLevel,
    AwardProgramme,
    AwardResult,
    AwardRound,
    Nomination,
    ResultOutcome,
    RoundStatus,
)
from krupd.testing import make_person
from registry.models import PersonStatus
from reporting import inspection
from reporting.evidence import EvidenceContext, gather

pytestmark = pytest.mark.django_db

FY = 2569


def test_pa_counts_the_agreements_of_the_teachers_counted(office, school):
    """Two active teachers, one with an approved agreement; a retired teacher's approved
    agreement of the year is not one of "the teachers" (it made 2 approved of 2 = 100 %)."""
    edition = PAEdition.objects.get(code="w9-2564-teacher")
    active = [make_person(office, school) for _ in range(2)]
    retired = make_person(office, school, status=PersonStatus.RETIRED)
    for person in (active[0], retired):
        PAAgreement.objects.create(person=person, edition=edition, fiscal_year=FY,
                                   school=school, status="approved")  # fmt: skip
    ev = gather(EvidenceContext(office, FY), "pa_agreements", {"min": 80})
    assert ev.summary == ("ครูจัดทำข้อตกลง PA 1 คน ผู้อำนวยการอนุมัติแล้ว 1 คน (ร้อยละ 50.00 ของครู 2 คน)")
    lines = inspection.pa_status(office, FY)
    assert lines[0] == "ครูจัดทำข้อตกลงในการพัฒนางาน (PA) ปีงบประมาณ 2569 จำนวน 1 คน จากครู 2 คน"


def test_award_selections_are_those_of_the_table_beside_them(office, school):
    """Rounds of 2568 and 2569: a SAR of fiscal year 2569 shows the 2569 awards table
    (award_year_for), and its sentence adds up that table, not both years' nominations."""
    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    people = [make_person(office, school) for _ in range(3)]
    for year, nominees, winners in ((2568, people, people), (2569, people[:2], people[:1])):
        rnd = AwardRound.objects.create(programme=programme, year=year, title=f"ครูดี {year}",
                                        status=RoundStatus.CLOSED)  # fmt: skip
        for person in nominees:
            n = Nomination.objects.create(round=rnd, person=person, source="office",
                                          work_title="ผลงาน")  # fmt: skip
            AwardResult.objects.create(
                nomination=n, level=AwardLevel.AREA, announced_on=dt.date(year - 543, 9, 1),
                outcome=ResultOutcome.WINNER if person in winners else ResultOutcome.NOT_SELECTED,
            )  # fmt: skip
    ev = gather(EvidenceContext(office, FY), "award_winners")
    assert ev.summary == (
        "การคัดเลือกเพื่อรับรางวัล ประจำปี 2569 1 รายการ เสนอชื่อ 2 ราย ได้รับการคัดเลือก 1 ราย"
    )
    (table,) = ev.more_tables
    assert table[2] == [[1, "ครูดี 2569", "1 คน"]]
