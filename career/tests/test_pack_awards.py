"""Award certificates in the PA evidence pack: the teacher's own, of results announced in the
cycle and still valid, are offered in the per-indicator picker, listed in the ledger without
hours, put in the indicator's folder of the ZIP as the certificate PDF, and named in the
index PDF and the self-report. Checked on hand-made awards."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal as D

import pytest
from docx import Document

from accounts.roles import Role
from career import actions, exports, pack_zip, queries
from career.models import EvidenceKind
from community import actions as community_actions
from community.models import (
    AwardCertificate,
    AwardLevel,
    AwardProgramme,
    AwardResult,
    AwardRound,
    Nomination,
    ResultOutcome,
    RoundStatus,
)

pytestmark = pytest.mark.django_db
FY = 2569  # 1 Oct 2025 – 30 Sep 2026
TEACHER, DIRECTOR, ADMIN = Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.OFFICE_ADMIN
WORK = "สอนอ่านด้วยนิทานพื้นบ้าน"


def _won(round_, person, *announced: tuple[str, dt.date], work=WORK) -> Nomination:
    nomination = Nomination.objects.create(
        round=round_, person=person, school=person.school, source="office", work_title=work
    )
    for level, day in announced:
        AwardResult.objects.create(
            nomination=nomination, level=level, outcome=ResultOutcome.WINNER, announced_on=day
        )
    return nomination


def _round(programme, year: int, title: str) -> AwardRound:
    return AwardRound.objects.create(
        programme=programme, year=year, title=title, status=RoundStatus.CLOSED
    )


@pytest.fixture
def awards(office, users, teacher_person, other_teacher):
    """The teacher's awards. In the cycle and valid: ครูดีในดวงใจ, area level, announced
    15 Nov 2025. Not offered: the same work's region level (announced 5 Oct 2026, next
    cycle), an area award of 1 Aug 2025 (last cycle), a revoked certificate of Feb 2026, and
    the other teacher's award of the same round."""
    admin = users[ADMIN]
    good = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    innovation = AwardProgramme.objects.create(
        office=office, name="รางวัลนวัตกรรมการสอน", organiser="สพป."
    )
    this_year = _round(good, 2568, "ครูดีในดวงใจ ครั้งที่ 20")
    _won(this_year, teacher_person, (AwardLevel.AREA, dt.date(2025, 11, 15)),
         (AwardLevel.REGION, dt.date(2026, 10, 5)))  # fmt: skip
    _won(this_year, other_teacher, (AwardLevel.AREA, dt.date(2025, 11, 15)), work="ผลงานของคนอื่น")
    last_year = _round(good, 2567, "ครูดีในดวงใจ ครั้งที่ 19")
    _won(last_year, teacher_person, (AwardLevel.AREA, dt.date(2025, 8, 1)), work="ผลงานปีก่อน")
    revoked_round = _round(innovation, 2569, "นวัตกรรมการสอน 2569")
    _won(revoked_round, teacher_person, (AwardLevel.AREA, dt.date(2026, 2, 1)), work="ผลงานที่เพิกถอน")
    issued = {}
    for round_ in (this_year, last_year, revoked_round):
        for c in community_actions.issue_award_certificates(acting_user=admin, round_=round_):
            issued[(c.person_name, c.work_title, c.level)] = c
    mine = issued[(teacher_person.full_name, WORK, AwardLevel.AREA)]
    revoked = issued[(teacher_person.full_name, "ผลงานที่เพิกถอน", AwardLevel.AREA)]
    community_actions.revoke_award_certificate(
        acting_user=admin, certificate=revoked, reason="ออกซ้ำ"
    )
    theirs = issued[(other_teacher.full_name, "ผลงานของคนอื่น", AwardLevel.AREA)]
    return {"mine": mine, "theirs": theirs, "all": issued}


@pytest.fixture
def agreement(users, teacher_person):
    return actions.start_agreement(
        acting_user=users[TEACHER], person=teacher_person, fiscal_year=FY
    )


TITLE = f"รางวัลครูดีในดวงใจ ระดับเขตพื้นที่ ประจำปี 2568: {WORK}"


def test_only_her_valid_award_certificates_of_the_cycle_are_offered(awards, teacher_person):
    assert len(awards["all"]) == 5
    options = [o for o in queries.evidence_options(teacher_person, fiscal_year=FY)
               if o.kind == EvidenceKind.AWARD]  # fmt: skip
    mine = awards["mine"]
    assert [(o.key, o.title) for o in options] == [(f"award:{mine.pk}", TITLE)]
    assert options[0].detail == (
        f"ประกาศผล 15/11/2568 · เลขที่ {mine.number} · รหัสตรวจสอบ {mine.code}"
    )
    # The next cycle offers the region level (announced 5 October 2026), not this one.
    next_cycle = queries.evidence_options(teacher_person, fiscal_year=FY + 1)
    assert [o.title for o in next_cycle] == [f"รางวัลครูดีในดวงใจ ระดับภาค ประจำปี 2568: {WORK}"]


def test_the_ledger_lists_the_award_without_counting_hours(awards, teacher_person):
    ledger = queries.dev_ledger(teacher_person, fiscal_year=FY)
    mine = awards["mine"]
    assert [(line.date, line.kind, line.title, line.hours) for line in ledger.lines] == [
        (dt.date(2025, 11, 15), "รางวัลระดับเขตพื้นที่", TITLE, None)
    ]
    assert ledger.lines[0].reference == f"เกียรติบัตรรางวัลเลขที่ {mine.number} รหัส {mine.code}"
    assert ledger.lines[0].url == f"/verify/{mine.code}/"
    assert ledger.total_hours == D("0")  # awards carry no hours


def test_the_teacher_picks_her_award_on_the_indicator_page_and_not_anothers(
    client_for, awards, agreement, users
):
    url = f"/career/pa/{agreement.pk}/pack/section/5/"
    client = client_for(TEACHER)
    page = client.get(url).content.decode()
    mine, theirs = awards["mine"], awards["theirs"]
    assert f'value="award:{mine.pk}"' in page and TITLE in page
    assert f"award:{theirs.pk}" not in page and "ผลงานของคนอื่น" not in page
    assert "ผลงานที่เพิกถอน" not in page and "ผลงานปีก่อน" not in page
    assert client.post(url, {"action": "pick", "keys": [f"award:{mine.pk}"]}).status_code == 302
    (evidence,) = agreement.evidence.all()
    assert (evidence.kind, evidence.award_certificate, evidence.title) == ("award", mine, TITLE)
    assert evidence.indicator.number == 5
    page = client.get(url).content.decode()
    assert f'href="/verify/{mine.code}/"' in page and "เกียรติบัตรรางวัล" in page
    # Another teacher's award certificate, posted by hand, is refused with a Thai message.
    response = client.post(url, {"action": "pick", "keys": [f"award:{theirs.pk}"]})
    assert response.status_code == 200 and agreement.evidence.count() == 1
    # Nor may her director attach anything to her pack.
    director = client_for(DIRECTOR)
    assert director.post(url, {"action": "pick", "keys": [f"award:{mine.pk}"]}).status_code == 404
    with pytest.raises(actions.CareerError, match="ไม่ใช่ข้อมูลของท่าน"):
        actions.attach_records(acting_user=users[TEACHER], agreement=agreement,
                               indicator=evidence.indicator,
                               keys=[f"award:{theirs.pk}"])  # fmt: skip


def test_the_zip_holds_the_award_certificate_in_the_indicators_folder(
    awards, agreement, users, teacher_person, tmp_path
):
    mine = awards["mine"]
    indicator = agreement.items.get(indicator__number=5).indicator
    actions.attach_records(acting_user=users[TEACHER], agreement=agreement, indicator=indicator,
                           keys=[f"award:{mine.pk}"])  # fmt: skip
    content = queries.pack(agreement)
    path = tmp_path / "pack.zip"
    files = pack_zip.write_pack_zip(content, path)
    z = zipfile.ZipFile(path)
    # The title cut at 60 characters, its colon removed (Windows refuses it in a name).
    name = "05 ตัวชี้วัดที่ 5/01 รางวัลครูดีในดวงใจ ระดับเขตพื้นที่ ประจำปี 2568 สอนอ่านด้วย.pdf"
    assert z.namelist() == [pack_zip.INDEX_NAME, pack_zip.AGREEMENT_NAME, pack_zip.REPORT_NAME,
                            name]  # fmt: skip
    certificate_pdf = z.read(name)
    assert certificate_pdf.startswith(b"%PDF") and files[0].size == len(certificate_pdf)
    report = exports.self_report_docx(content, pack_zip.evidence_file_names(files))
    text = "\n".join(p.text for p in Document(io.BytesIO(report)).paragraphs)
    assert f"{TITLE} (เกียรติบัตรรางวัล: {name})" in text
    if shutil.which("pdftotext"):

        def pdf_text(data: bytes) -> str:
            return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                                  capture_output=True, check=True).stdout.decode()  # fmt: skip

        certificate_text = pdf_text(certificate_pdf)
        assert teacher_person.first_name in certificate_text and mine.code in certificate_text
        index = pdf_text(z.read(pack_zip.INDEX_NAME))
        assert "เกียรติบัตรรางวัล" in index and "โฟลเดอร์: 05 ตัวชี้วัดที่ 5" in index
        assert "ตัวชี้วัดที่ยังไม่มีหลักฐาน 15 รายการ" in index


def test_a_revoked_award_certificate_is_no_longer_offered(awards, agreement, users, teacher_person):
    mine = awards["mine"]
    community_actions.revoke_award_certificate(
        acting_user=users[ADMIN], certificate=mine, reason="ชื่อผลงานสะกดผิด"
    )
    keys = {o.key for o in queries.evidence_options(teacher_person, fiscal_year=FY)}
    assert f"award:{mine.pk}" not in keys
    assert AwardCertificate.objects.filter(pk=mine.pk, status="revoked").exists()
