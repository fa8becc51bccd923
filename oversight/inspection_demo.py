"""Demo of the provincial inspection round: the province's inspector opens round 1 of the
current fiscal year, every demo office of the province fills in and submits its inspection
report, and the round shows each status: the first office's report accepted, the second
returned with comments, any other waiting for an answer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from reporting import actions as reporting_actions
from reporting.actions import policies_for
from reporting.models import FocusPoint
from reporting.queries import current_fiscal_year

from . import inspection_actions, inspection_queries
from .models import InspectionRound, Province

# What an office writes for a focus point, keyed by the point's policy and number.
OFFICE_TEXT = {
    (5, 1): {
        "success_factors": "ผู้บริหารและศึกษานิเทศก์ให้คำปรึกษาการจัดทำข้อตกลงในการพัฒนางาน (PA) อย่างต่อเนื่อง",
        "best_practice": "คลินิก PA ออนไลน์ ให้คำปรึกษาครูทุกวันพุธ",
        "area_suggestions": "ควรจัดเวทีแลกเปลี่ยนเรียนรู้การจัดทำ PA ระหว่างโรงเรียนในเครือข่าย",
        "policy_suggestions": "ควรปรับรอบการประเมิน PA ให้สอดคล้องกับปีการศึกษา",
        "problems": [("กรรมการประเมินผลงานมีไม่เพียงพอ", "เพิ่มกรรมการประเมินจากศึกษานิเทศก์")],
    },
    (5, 2): {
        "success_factors": "ครูได้รับการพัฒนาสมรรถนะด้านเทคโนโลยีดิจิทัลผ่านหลักสูตรออนไลน์",
        "problems": [("โรงเรียนขนาดเล็กขาดอุปกรณ์และอินเทอร์เน็ต", "จัดอบรมแบบผสมผสานที่ศูนย์เครือข่าย")],
    },
}
RETURN_COMMENT = "ขอให้เพิ่มผลการดำเนินงานเชิงปริมาณในจุดเน้นที่ 5.2 (จำนวนครูที่ผ่านการพัฒนา)"


def _officer(office):
    return (
        User.objects.filter(office=office, role=Role.DEVELOPMENT_OFFICER).order_by("pk").first()
        or User.objects.filter(office=office, role=Role.OFFICE_ADMIN).order_by("pk").first()
    )


def _fill(report) -> None:
    for answer in report.answers.select_related("point__policy"):
        text = OFFICE_TEXT.get((answer.point.policy.number, answer.point.number))
        if text is None or answer.success_factors:
            continue
        values = {k: v for k, v in text.items() if k != "problems"}
        reporting_actions.save_focus_answer(
            acting_user=_officer(report.office), answer=answer, values=values, progress={},
            problems=text["problems"],
        )  # fmt: skip


@transaction.atomic
def build_inspection_round_demo(province: Province) -> InspectionRound | None:
    """Round 1 of the current fiscal year for the province, with the demo offices' reports.
    Run again, it leaves an existing round as it is. None when no office of the province
    has a user who may write its report."""
    fy = current_fiscal_year()
    existing = InspectionRound.objects.filter(province=province, fiscal_year=fy, round_number=1)
    if existing.exists():
        return existing.first()
    inspector = User.objects.filter(role=Role.PROVINCE_INSPECTOR, province=province).first()
    round_ = inspection_actions.open_round(
        acting_user=inspector, province=province, fiscal_year=fy, round_number=1,
        title=f"การตรวจราชการและติดตามประเมินผลการจัดการศึกษา ปีงบประมาณ {fy}",
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    submitted = []
    for office in inspection_queries.offices_of(round_):
        officer = _officer(office)
        if officer is None:
            continue
        report = reporting_actions.start_inspection(acting_user=officer, fiscal_year=fy)
        if report.round_number != 1:
            continue
        _fill(report)
        reporting_actions.submit_inspection(acting_user=officer, report=report)
        submitted.append(office)
    if not submitted:
        return round_
    inspection_actions.review_submission(
        acting_user=inspector, round_=round_, office=submitted[0], accept=True, comment=""
    )
    if len(submitted) > 1:
        inspection_actions.review_submission(
            acting_user=inspector, round_=round_, office=submitted[1], accept=False,
            comment=RETURN_COMMENT,
        )  # fmt: skip
    point = FocusPoint.objects.filter(
        policy__in=policies_for(fy), policy__number=5, number=1
    ).first()
    if point is not None:
        inspection_actions.save_point_summary(
            acting_user=inspector, round_=round_, point=point, problems=[],
            values={"summary": f"หน่วยงานการศึกษาในจังหวัด{province.name} ส่งเสริมการจัดทำข้อตกลง"
                               "ในการพัฒนางาน (PA) ครบทุกหน่วยงาน"},
        )  # fmt: skip
    return round_
