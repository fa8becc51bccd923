"""The plan's DOCX writes a typed figure as the strategy page, the plan page and the results
report write it: a KPI target typed 90 is "90", 1250.5 is "1,250.5", a baseline left empty
is "—". The DOCX wrote the stored decimals ("90.00", "1,250.50", "0.00") and an empty cell."""

import io
from decimal import Decimal

import pytest
from docx import Document

from accounts.roles import Role
from planning.models import FrameItem, Kpi, Plan, Project, ProjectKpi, StrategicFrame

pytestmark = pytest.mark.django_db


def _tables(data: bytes) -> list[list[list[str]]]:
    doc = Document(io.BytesIO(data))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_kpi_figures_in_the_plan_docx_read_as_typed(client_for, office):
    frame = StrategicFrame.objects.create(
        office=office, name="กรอบ 2569–2571", start_year=2569, end_year=2571
    )
    strategy = FrameItem.objects.create(frame=frame, kind="strategy", number=1, text="พัฒนาครู")
    Kpi.objects.create(frame=frame, number=1, text="ร้อยละครูที่ได้รับการพัฒนา",
                       target=Decimal("90"), unit="ร้อยละ", year=2569)  # fmt: skip
    Kpi.objects.create(frame=frame, number=2, text="จำนวนครูที่ผ่านการอบรม",
                       baseline=Decimal("0"), target=Decimal("1250.5"), unit="คน")  # fmt: skip
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569, frame=frame)  # fmt: skip
    project = Project.objects.create(plan=plan, number=1, name="พัฒนาครูด้วย PLC")
    project.strategies.add(strategy)
    ProjectKpi.objects.create(project=project, text="ครูผ่านการพัฒนา", target=Decimal("80"),
                              unit="ร้อยละ")  # fmt: skip

    data = client_for(Role.DEVELOPMENT_OFFICER).get(f"/planning/plans/{plan.pk}/docx/").content
    tables = _tables(data)
    frame_kpis = next(t for t in tables if t[0][:4] == ["ที่", "ตัวชี้วัด", "ค่าฐาน", "ค่าเป้าหมาย"])
    assert [row[2:4] for row in frame_kpis[1:]] == [["—", "90"], ["0", "1,250.5"]]
    project_kpis = next(t for t in tables if t[0] == ["ตัวชี้วัด", "ค่าเป้าหมาย", "หน่วย"])
    assert project_kpis[1] == ["ครูผ่านการพัฒนา", "80", "ร้อยละ"]
    assert not any(".00" in cell for t in (frame_kpis, project_kpis) for r in t for cell in r)

    thai = client_for(Role.DEVELOPMENT_OFFICER).get(f"/planning/plans/{plan.pk}/docx/?digits=thai")
    assert ["๐", "๑,๒๕๐.๕"] in [row[2:4] for t in _tables(thai.content) for row in t]
