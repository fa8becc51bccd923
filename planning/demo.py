"""Demo planning data for the demo office: two competency frameworks, the needs-topic
catalogue, this year's round with synthetic answers, the plan's strategic frame, a 3-year
plan and an annual action plan built from the plan's example projects, and some ID plans.

Deterministic (a fixed random seed) and idempotent: a second run changes nothing unless
--reset is given. Answers are bulk-inserted, so ~1,000 people load in about a second.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from krupd.lib.thai_dates import BE_OFFSET, academic_year, fiscal_year
from registry.models import Office, Person, PersonnelType

from .models import (
    Activity,
    BudgetLine,
    Competency,
    CompetencyLevel,
    Domain,
    FrameItem,
    Framework,
    IdPlan,
    IdPlanItem,
    IdPlanStatus,
    ItemKind,
    Kpi,
    Mode,
    Plan,
    PlanKind,
    PlanStatus,
    Project,
    ProjectKpi,
    RaterKind,
    Rating,
    Response,
    Round,
    StrategicFrame,
    Topic,
    TopicAnswer,
)

LIKERT = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]

# Core and functional competencies of teachers (ก.ค.ศ. practice), level descriptors generic.
TEACHER_FRAMEWORK = {
    "code": "TC",
    "version": "2568",
    "name": "สมรรถนะครู (สมรรถนะหลักและสมรรถนะประจำสายงาน)",
    "source": "แนวทางการประเมินสมรรถนะครู ก.ค.ศ. (ฉบับที่สำนักงานเขตใช้ ปรับแก้ได้)",
    "domains": [
        ("C", "สมรรถนะหลัก", [
            ("C1", "การมุ่งผลสัมฤทธิ์ในการปฏิบัติงาน"),
            ("C2", "การบริการที่ดี"),
            ("C3", "การพัฒนาตนเอง"),
            ("C4", "การทำงานเป็นทีม"),
            ("C5", "จริยธรรมและจรรยาบรรณวิชาชีพครู"),
        ]),
        ("F", "สมรรถนะประจำสายงาน", [
            ("F1", "การบริหารหลักสูตรและการจัดการเรียนรู้"),
            ("F2", "การพัฒนาผู้เรียน"),
            ("F3", "การบริหารจัดการชั้นเรียน"),
            ("F4", "การวิเคราะห์ สังเคราะห์ และการวิจัยเพื่อพัฒนาผู้เรียน"),
            ("F5", "ภาวะผู้นำครู"),
            ("F6", "การสร้างความสัมพันธ์และความร่วมมือกับชุมชน"),
        ]),
    ],
}  # fmt: skip

DIGITAL_FRAMEWORK = {
    "code": "DL",
    "version": "2561",
    "name": "ทักษะความเข้าใจและใช้เทคโนโลยีดิจิทัล",
    "source": "สำนักงาน ก.พ. นร 1013/ว 6 (2561) มิติ Use / Understand / Create / Access",
    "domains": [
        ("U", "การใช้ (Use)", [("U1", "ใช้อุปกรณ์และโปรแกรมพื้นฐานในการทำงาน"),
                               ("U2", "ใช้แพลตฟอร์มการเรียนรู้ออนไลน์ในการสอน")]),
        ("N", "การเข้าใจ (Understand)", [("N1", "เข้าใจความปลอดภัยและจริยธรรมดิจิทัล"),
                                          ("N2", "ประเมินความน่าเชื่อถือของข้อมูล")]),
        ("R", "การสร้างสรรค์ (Create)", [("R1", "สร้างสื่อการเรียนรู้ดิจิทัล"),
                                          ("R2", "ใช้ข้อมูลเพื่อวิเคราะห์และพัฒนาผู้เรียน")]),
        ("A", "การเข้าถึง (Access)", [("A1", "ค้นหาและเข้าถึงแหล่งเรียนรู้ดิจิทัล")]),
    ],
}  # fmt: skip

LEVEL_TEXT = [
    "ยังไม่สามารถปฏิบัติได้ ต้องได้รับการแนะนำอย่างใกล้ชิด",
    "ปฏิบัติได้บางส่วนเมื่อได้รับคำแนะนำ",
    "ปฏิบัติได้ด้วยตนเองตามแนวทางที่กำหนด",
    "ประยุกต์และแก้ปัญหาได้ เป็นแบบอย่างแก่ผู้อื่น",
    "ริเริ่ม พัฒนา และขยายผลสู่ผู้อื่นได้",
]

TOPICS = [
    ("การจัดการเรียนรู้เชิงรุก (Active Learning)", "F1"),
    ("การวัดและประเมินผลการเรียนรู้", "F4"),
    ("การวิจัยในชั้นเรียน", "F4"),
    ("การใช้แพลตฟอร์มการเรียนรู้ออนไลน์", "U2"),
    ("การสร้างสื่อการสอนดิจิทัล", "R1"),
    ("การจัดการชั้นเรียนเชิงบวก", "F3"),
    ("ภาษาอังกฤษเพื่อการสื่อสาร", ""),
    ("จรรยาบรรณวิชาชีพและจิตวิญญาณความเป็นครู", "C5"),
    ("การเขียนผลงานทางวิชาการและ PA", "C3"),
    ("การดูแลช่วยเหลือนักเรียน", "F2"),
]

# The plan: สพม.นครศรีธรรมราช, กลุ่มพัฒนาครูและบุคลากรทางการศึกษา.
# The frame cites the office's own plan, as an office would (the demo office adopts it).
FRAME_SOURCE = "แผนพัฒนาครูและบุคลากรทางการศึกษา กลุ่มพัฒนาครูและบุคลากรทางการศึกษา {office}"
FRAME_VISION = (
    "มุ่งพัฒนาครูและบุคลากรทางการศึกษาให้มีศักยภาพทางวิชาชีพ ทันสมัย และมีทักษะในศตวรรษที่ 21 "
    "เพื่อยกระดับคุณภาพการศึกษาและชีวิตที่ยั่งยืนในยุคดิจิทัล"
)
FRAME_ITEMS = {
    ItemKind.MISSION: [
        ("พัฒนาความรู้และทักษะที่จำเป็นสำหรับศตวรรษที่ 21", ""),
        ("สนับสนุนการพัฒนาวิชาชีพอย่างต่อเนื่อง", ""),
        ("สร้างสภาพแวดล้อมการทำงานที่มีคุณภาพ", ""),
        ("สร้างเครือข่ายความร่วมมือเพื่อพัฒนาการศึกษา", ""),
    ],
    ItemKind.GOAL: [
        ("เพิ่มประสิทธิภาพการเรียนการสอนด้วยเทคโนโลยีและนวัตกรรม", ""),
        ("ส่งเสริมจริยธรรมและคุณธรรมในการศึกษา", ""),
        ("พัฒนาศักยภาพและความก้าวหน้าในสายงาน", ""),
        ("ยกระดับระบบบริหารจัดการที่มีประสิทธิภาพ", ""),
        ("ส่งเสริมความร่วมมือกับภาคส่วนต่าง ๆ", ""),
    ],
    ItemKind.STRATEGY: [
        ("พัฒนาศักยภาพครูและบุคลากรทางการศึกษาด้านการสอนและเทคโนโลยี",
         "จัดอบรมและพัฒนาทักษะด้านเทคโนโลยีดิจิทัลและนวัตกรรมการสอน เพื่อให้ครูสามารถปรับใช้ในการเรียนการสอนยุคใหม่\n"
         "ส่งเสริมการใช้สื่อดิจิทัลและเครื่องมือออนไลน์ เพื่อเพิ่มประสิทธิภาพในการจัดการเรียนการสอน การบริหารจัดการในห้องเรียน และการจัดการศึกษา"),  # noqa: E501
        ("สร้างระบบการพัฒนาวิชาชีพที่ต่อเนื่อง",
         "จัดให้มีการแลกเปลี่ยนเรียนรู้ผ่านชุมชนการเรียนรู้ทางวิชาชีพ (PLC) เพื่อส่งเสริมการพัฒนาทักษะวิชาชีพ\n"
         "สนับสนุนการศึกษาต่อเนื่องและการฝึกอบรมระยะยาว ให้ครูมีโอกาสพัฒนาความรู้ ทักษะ สมรรถนะตามมาตรฐานวิชาชีพ"),
        ("พัฒนาและส่งเสริมสภาพแวดล้อมการทำงานที่เอื้อต่อการทำงาน",
         "จัดสรรทรัพยากรและปรับปรุงสิ่งอำนวยความสะดวกต่าง ๆ เพื่อคุณภาพชีวิตในการทำงานที่ดีขึ้น\n"
         "ส่งเสริมสวัสดิการและกิจกรรมส่งเสริมสุขภาพจิตและสุขภาพกาย"),
        ("สร้างเครือข่ายความร่วมมือกับองค์กรภายนอก",
         "ร่วมมือกับมหาวิทยาลัยและสถาบันการศึกษาชั้นนำ เพื่อพัฒนาหลักสูตรและนวัตกรรมการเรียนรู้\n"
         "ประสานงานกับหน่วยงานภาครัฐและเอกชนในการสนับสนุนทรัพยากรและโอกาสทางการเรียนรู้ใหม่ ๆ"),
        ("ใช้ข้อมูลและการประเมินเพื่อการพัฒนาอย่างต่อเนื่อง",
         "จัดทำระบบการติดตามและประเมินผลการพัฒนาของครูและบุคลากรทางการศึกษา\n"
         "นำข้อมูลจากการประเมินมาวางแผนพัฒนาอย่างเป็นระบบและยั่งยืน"),
    ],
    ItemKind.MEASURE: [
        ("เพิ่มพูนทักษะและความรู้ด้านวิชาชีพ",
         "จัดอบรมเชิงปฏิบัติการและสัมมนาเกี่ยวกับนวัตกรรมการสอน ทักษะด้านเทคโนโลยีดิจิทัล ทักษะด้านภาษา พัฒนาผู้บริหารให้เป็นผู้นำเชิงกลยุทธ์\n"  # noqa: E501
         "สนับสนุนให้ครูและบุคลากรเข้าร่วมการศึกษาต่อในระดับสูงขึ้น หรือหลักสูตรเฉพาะทางที่ทันสมัย"),
        ("เสริมสร้างจริยธรรมและวัฒนธรรมองค์กร",
         "จัดกิจกรรมหรือโครงการที่มุ่งเน้นการปลูกฝังคุณธรรมและจริยธรรม\nพัฒนาและนำแนวปฏิบัติตามหลักธรรมาภิบาลมาปรับใช้ในองค์กร"),
        ("พัฒนาและการสร้างความก้าวหน้าในวิชาชีพ",
         "จัดทำแผนพัฒนาบุคลากรระยะยาว พร้อมแนวทางการเลื่อนขั้นและการประเมินผลการทำงานอย่างต่อเนื่อง\n"
         "สนับสนุนโครงการแลกเปลี่ยนประสบการณ์วิชาชีพกับสถาบันการศึกษาทั้งในและต่างประเทศ"),
        ("พัฒนาระบบสนับสนุนการทำงานและการบริหารจัดการ",
         "จัดทำระบบฐานข้อมูลเพื่อใช้ในการบริหารจัดการข้อมูลของครูและบุคลากรทางการศึกษา\n"
         "ใช้การประเมินผลตามตัวชี้วัดที่ชัดเจน เพื่อปรับปรุงและพัฒนาการปฏิบัติงาน"),
        ("สร้างเครือข่ายและความร่วมมือ",
         "สร้างความร่วมมือกับหน่วยงานภาครัฐ เอกชน ชุมชน และสถาบันการศึกษาในพื้นที่\n"
         "จัดเวทีเสวนาและการประชุมร่วมกับเครือข่ายพันธมิตร"),
    ],
    ItemKind.GUIDELINE: [
        ("การวางแผนการพัฒนา",
         "กำหนดเป้าหมายการพัฒนาให้สอดคล้องกับวิสัยทัศน์และพันธกิจของสำนักงานเขตพื้นที่การศึกษา\n"
         "วิเคราะห์ความต้องการพัฒนาทักษะของครูและบุคลากรทางการศึกษาในแต่ละสายงาน\n"
         "วางแผนระยะสั้น (1-2 ปี) และระยะยาว (3-5 ปี) โดยกำหนดโครงการและกิจกรรมที่นำไปปฏิบัติได้จริง"),
        ("การดำเนินการอบรมและพัฒนา",
         "การจัดอบรมเชิงปฏิบัติการที่เน้นการเรียนรู้จากการปฏิบัติ\n"
         "การจัดกิจกรรมแลกเปลี่ยนประสบการณ์กับเครือข่ายครูจากโรงเรียนหรือหน่วยงานอื่น\n"
         "การจัดโครงการพัฒนาแบบออนไลน์"),
        ("การประเมินผลและติดตาม",
         "การติดตามและประเมินผลการดำเนินงานตามโครงการ\n"
         "การวิเคราะห์ข้อมูลผลการพัฒนาเพื่อปรับปรุงแผนการพัฒนา\n"
         "การปรับแผนพัฒนาตามผลการติดตามและประเมินผล"),
        ("การสร้างความร่วมมือ",
         "การสร้างเครือข่ายภายนอกกับหน่วยงานภาครัฐและเอกชน\n"
         "การสร้างความร่วมมือภายในสำนักงานเขตพื้นที่การศึกษาและโรงเรียนในพื้นที่"),
        ("การจัดการทรัพยากรและการสนับสนุน",
         "การจัดสรรงบประมาณ สื่อ และเครื่องมือทางเทคโนโลยีที่จำเป็นสำหรับการพัฒนา\n"
         "การสนับสนุนทางเทคนิคในการใช้งานเครื่องมือดิจิทัล"),
        ("การเสริมสร้างจิตสำนึกและวัฒนธรรมองค์กร",
         "การเสริมสร้างวัฒนธรรมการเรียนรู้และพัฒนาตนเองอย่างต่อเนื่อง\n"
         "การส่งเสริมการพัฒนาแบบยั่งยืนและการเรียนรู้ตลอดชีวิต"),
    ],
}  # fmt: skip
# (text, baseline, target, unit, strategy number)
FRAME_KPIS = [
    ("ครูมีความเชี่ยวชาญด้านเทคโนโลยี", None, Decimal(80), "ร้อยละ (ไม่น้อยกว่า)", 1),
    ("ผลสัมฤทธิ์ทางการเรียนของนักเรียนเพิ่มขึ้นต่อปี", None, Decimal(10), "ร้อยละ", 5),
    ("ครูที่ได้รับการพัฒนาทางวิชาชีพ", None, Decimal(80), "ร้อยละ (ไม่น้อยกว่า)", 2),
    ("การบริหารจัดการข้อมูลมีประสิทธิภาพ", None, None, "ระดับคุณภาพ", 5),
    ("การร่วมมือกับองค์กรภายนอกเพิ่มขึ้นต่อปี", None, Decimal(30), "ร้อยละ", 4),
]
# The dashboard indicator that measures each success KPI above, in the same order.
MEASURED_BY = [
    "tech-proficiency",
    "student-achievement",
    "teachers-developed",
    "data-management",
    "partnerships",
]
# The plan's seven example projects: (name, objective, activities, expected, strategies,
# competency codes, topic names, budget)
FRAME_PROJECTS = [
    ("โครงการพัฒนาครูสู่ศตวรรษที่ 21 (21st Century Teacher Development Program)",
     "พัฒนาครูให้สามารถใช้เทคโนโลยีและนวัตกรรมการสอนในการจัดการเรียนการสอนอย่างมีประสิทธิภาพ การใช้ภาษาอังกฤษ จีน",
     ["การอบรมการใช้สื่อการสอนดิจิทัล", "การพัฒนาทักษะการสอนออนไลน์", "การจัดเวิร์กช็อปนวัตกรรมการสอน"],
     "ครูสามารถนำเครื่องมือดิจิทัลและนวัตกรรมมาประยุกต์ใช้ในห้องเรียนได้",
     [1], ["R1"], ["การสร้างสื่อการสอนดิจิทัล"], 180000),
    ("โครงการสร้างครูจริยธรรม (Ethical Teacher Development Project)",
     "ส่งเสริมคุณธรรมและจริยธรรมในหมู่ครูและบุคลากรทางการศึกษา",
     ["การอบรมจริยธรรมวิชาชีพ", "กิจกรรมเสริมสร้างจิตสำนึกทางสังคมและคุณธรรม", "กิจกรรมจิตอาสาในชุมชน"],
     "ครูและบุคลากรมีจิตสำนึกและดำเนินชีวิตตามหลักจริยธรรมที่ดี",
     [2], ["C5"], ["จรรยาบรรณวิชาชีพและจิตวิญญาณความเป็นครู"], 60000),
    ("โครงการพัฒนาเครือข่ายความร่วมมือกับสถาบันการศึกษา (Educational Collaboration Network Project)",
     "สร้างความร่วมมือกับสถาบันการศึกษาภาครัฐและเอกชนเพื่อพัฒนาเครือข่ายการเรียนรู้",
     ["เวทีสัมมนาวิชาการ", "การแลกเปลี่ยนประสบการณ์ระหว่างครูและนักวิชาการ", "การลงนามความร่วมมือระหว่างสถาบันการศึกษา"],  # noqa: E501
     "เกิดความร่วมมือที่มีประสิทธิภาพในการพัฒนาหลักสูตรการศึกษา",
     [4], [], [], 50000),
    ("โครงการพัฒนาผู้นำทางการศึกษา (Educational Leadership Development Program)",
     "พัฒนาผู้นำทางการศึกษาให้มีทักษะในการบริหารจัดการและการพัฒนาคุณภาพการศึกษา เป็นผู้นำเชิงกลยุทธ์",
     ["อบรมเชิงปฏิบัติการการบริหารโรงเรียน", "ฝึกอบรมทักษะการบริหารทีมงาน", "ศึกษาดูงานในสถาบันการศึกษาชั้นนำ"],
     "ผู้นำทางการศึกษามีทักษะการบริหารจัดการและสร้างการเปลี่ยนแปลงที่ดีในโรงเรียน",
     [2], ["F5"], [], 150000),
    ("โครงการพัฒนาความสามารถในการประเมินผลการศึกษา (Educational Assessment Enhancement Project)",
     "พัฒนาทักษะในการประเมินผลการศึกษาให้มีมาตรฐานและคุณภาพ",
     ["อบรมการออกแบบและใช้เครื่องมือประเมินผลการเรียนการสอน", "จัดทำรายงานผลการประเมินการเรียนรู้"],
     "ครูประเมินผลการเรียนรู้ของนักเรียนได้อย่างถูกต้องและมีประสิทธิภาพ",
     [1, 5], ["F4"], ["การวัดและประเมินผลการเรียนรู้"], 90000),
    ("โครงการพัฒนาทักษะการใช้เทคโนโลยีในการสอน (Technology Integration in Teaching Project)",
     "สนับสนุนการใช้เทคโนโลยีในการสอนและการเรียนรู้ในยุคดิจิทัล",
     ["อบรมการใช้แพลตฟอร์มการเรียนรู้ออนไลน์", "การจัดการเรียนการสอนผ่านสื่อดิจิทัล"],
     "ครูมีทักษะการใช้เทคโนโลยีในการสร้างเนื้อหาการเรียนการสอน",
     [1], ["U2"], ["การใช้แพลตฟอร์มการเรียนรู้ออนไลน์"], 120000),
    ("โครงการเสริมสร้างวัฒนธรรมการทำงานร่วมกัน (Collaborative Culture Building Program)",
     "ส่งเสริมการทำงานร่วมกันระหว่างครูและบุคลากรในองค์กร เพื่อสร้างบรรยากาศการทำงานที่มีประสิทธิภาพ",
     ["เวิร์กช็อปกลุ่ม", "กิจกรรมกลุ่มทำงาน", "ประชุมประจำเดือนเพื่อแลกเปลี่ยนความคิดเห็น"],
     "มีการทำงานเป็นทีมที่มีประสิทธิภาพและส่งเสริมการพัฒนาองค์กร",
     [3], [], [], 40000),
]  # fmt: skip

# Gaps the synthetic answers lean towards, so the ranking has a clear top.
WEAK = {"F4": 1.2, "R1": 1.1, "R2": 1.0, "U2": 0.9, "F1": 0.6}


def _framework(office: Office, spec: dict) -> Framework:
    fw = Framework.objects.create(
        office=office, code=spec["code"], version=spec["version"], name=spec["name"],
        source=spec["source"], scale_min=1, scale_max=5, scale_labels=LIKERT,
    )  # fmt: skip
    levels = []
    for d_order, (d_code, d_name, items) in enumerate(spec["domains"], start=1):
        domain = Domain.objects.create(framework=fw, code=d_code, name=d_name, sort_order=d_order)
        for c_order, (code, name) in enumerate(items, start=1):
            comp = Competency.objects.create(
                domain=domain, code=code, name=name, sort_order=c_order
            )
            levels += [
                CompetencyLevel(competency=comp, value=i, descriptor=text)
                for i, text in enumerate(LEVEL_TEXT, start=1)
            ]
    CompetencyLevel.objects.bulk_create(levels)
    return fw


def _clamp(x: float) -> int:
    return max(1, min(5, round(x)))


@transaction.atomic
def build(*, office: Office, reset: bool = False, seed: int = 2568, stdout=None) -> dict:
    say = stdout.write if stdout else (lambda s: None)
    if reset:
        IdPlan.objects.filter(person__office=office).delete()
        Plan.objects.filter(office=office).delete()
        Round.objects.filter(office=office).delete()
        StrategicFrame.objects.filter(office=office).delete()
        Topic.objects.filter(office=office).delete()
        Framework.objects.filter(office=office).delete()
    if Framework.objects.filter(office=office).exists():
        say("ข้อมูลการวางแผนสาธิตมีอยู่แล้ว (ใช้ --reset เพื่อสร้างใหม่)")
        return {"created": False}
    rng = random.Random(seed)
    today = timezone.localdate()
    year = academic_year(today)
    fy = fiscal_year(today)

    fw = _framework(office, TEACHER_FRAMEWORK)
    digital = _framework(office, DIGITAL_FRAMEWORK)
    Topic.objects.bulk_create(
        Topic(office=office, name=name, competency_code=code, sort_order=i)
        for i, (name, code) in enumerate(TOPICS, start=1)
    )
    topics = {t.name: t for t in Topic.objects.filter(office=office)}

    # This year's round, open around today so the demo users can answer (July in real life).
    rnd = Round.objects.create(
        office=office, year=year, framework=fw,
        name=f"ประเมินสมรรถนะและสำรวจความต้องการจำเป็น ปีการศึกษา {year}",
        opens=today - dt.timedelta(days=20), closes=today + dt.timedelta(days=40),
        target_types=[PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER],
    )  # fmt: skip
    Round.objects.create(
        office=office, year=year, framework=digital,
        name=f"ประเมินทักษะดิจิทัล ปีการศึกษา {year}",
        opens=today - dt.timedelta(days=10), closes=today + dt.timedelta(days=50),
        target_types=[PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER,
                      PersonnelType.DIRECTOR],
    )  # fmt: skip

    from accounts.models import User

    keep_free = set(
        User.objects.filter(
            office=office, role__in=[Role.TEACHER, Role.SCHOOL_DIRECTOR], person__isnull=False
        ).values_list("person_id", flat=True)
    )  # the demo teacher and director answer for themselves
    people = list(
        Person.objects.filter(office=office, status="active", personnel_type__in=rnd.target_types)
        .exclude(pk__in=keep_free)
        .select_related("major")
        .order_by("id")
    )
    comps = list(Competency.objects.filter(domain__framework=fw))
    now = timezone.now()
    responses = []
    for person in people:
        if rng.random() > 0.78:  # about a fifth have not answered yet
            continue
        responses.append(
            Response(
                round=rnd, person=person, rater_kind=RaterKind.SELF, school_id=person.school_id,
                personnel_type=person.personnel_type, standing_id=person.academic_standing_id,
                learning_area_id=person.major.learning_area_id if person.major_id else None,
                modes=rng.sample(Mode.values, k=rng.randint(1, 3)),
                reasons=rng.choice(["", "", "ต้องการนำไปใช้พัฒนาผู้เรียน", "เตรียมขอมีวิทยฐานะ"]),
                submitted_at=None if rng.random() < 0.06 else now,
            )
        )  # fmt: skip
    Response.objects.bulk_create(responses, batch_size=500)
    saved = list(Response.objects.filter(round=rnd).order_by("id"))
    ratings, answers = [], []
    topic_list = list(topics.values())
    for response in saved:
        skill = rng.gauss(0, 0.35)
        for c in comps:
            d = _clamp(3.6 + skill - WEAK.get(c.code, 0) + rng.gauss(0, 0.6))
            i = _clamp(max(d, 4.2 + rng.gauss(0, 0.5)))
            ratings.append(Rating(response=response, competency=c, current=d, expected=i))
        for t in rng.sample(topic_list, k=rng.randint(1, 3)):
            lean = 1.0 if t.competency_code in WEAK else 0.3
            d = _clamp(3.3 - lean + rng.gauss(0, 0.6))
            answers.append(
                TopicAnswer(response=response, topic=t, current=d,
                            expected=_clamp(max(d, 4.3 + rng.gauss(0, 0.4))))
            )  # fmt: skip
        if rng.random() < 0.05:
            answers.append(TopicAnswer(response=response, free_text="การสอนเด็กพิเศษเรียนร่วม"))
    Rating.objects.bulk_create(ratings, batch_size=2000)
    TopicAnswer.objects.bulk_create(answers, batch_size=2000)

    # The plan's strategic frame.
    frame = StrategicFrame.objects.create(
        office=office, name="ทิศทางการพัฒนาครูและบุคลากรทางการศึกษา",
        start_year=fy, end_year=fy + 2, vision=FRAME_VISION,
        source=FRAME_SOURCE.format(office=office.name),
    )  # fmt: skip
    for kind, rows in FRAME_ITEMS.items():
        FrameItem.objects.bulk_create(
            FrameItem(frame=frame, kind=kind, number=n, text=text, details=details)
            for n, (text, details) in enumerate(rows, start=1)
        )
    strategies = {
        s.number: s for s in FrameItem.objects.filter(frame=frame, kind=ItemKind.STRATEGY)
    }
    Kpi.objects.bulk_create(
        Kpi(frame=frame, number=n, text=text, baseline=base, target=target, unit=unit,
            year=fy, strategy=strategies.get(s), measure=MEASURED_BY[n - 1])
        for n, (text, base, target, unit, s) in enumerate(FRAME_KPIS, start=1)
    )  # fmt: skip

    hr = Plan.objects.create(
        office=office, kind=PlanKind.HR_3Y, fiscal_year=fy, end_year=fy + 2, frame=frame,
        needs_round=rnd, status=PlanStatus.APPROVED, approved_at=now,
        title=f"แผนพัฒนาทรัพยากรบุคคล 3 ปี (พ.ศ. {fy}–{fy + 2})",
        introduction="จัดทำจากผลการประเมินสมรรถนะและสำรวจความต้องการจำเป็นประจำปี ทบทวนทุกปี",
    )  # fmt: skip
    annual = Plan.objects.create(
        office=office, kind=PlanKind.ANNUAL, fiscal_year=fy, end_year=fy, frame=frame,
        needs_round=rnd, title=f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fy}",
        introduction=("กลุ่มพัฒนาครูและบุคลากรทางการศึกษาดำเนินงานตามกระบวนการ PDCA "
                      "โดยนำผลการประเมินความต้องการจำเป็นมากำหนดโครงการ"),
    )  # fmt: skip
    comp_by_code = {c.code: c for c in comps}
    start = dt.date(fy - BE_OFFSET - 1, 11, 1)
    for plan in (hr, annual):
        for n, (name, objective, acts, expected, s_nums, c_codes, t_names, budget) in enumerate(
            FRAME_PROJECTS if plan is annual else FRAME_PROJECTS[:4], start=1
        ):
            p = Project.objects.create(
                plan=plan, number=n, name=name, objectives=objective, expected_results=expected,
                rationale="สอดคล้องกับกลยุทธ์และผลการประเมินความต้องการจำเป็น",
                target_groups="ครูและบุคลากรทางการศึกษาในสังกัด",
                target_count=rng.choice([60, 80, 100, 150, 200]),
                owner="กลุ่มพัฒนาครูและบุคลากรทางการศึกษา",
            )  # fmt: skip
            p.strategies.set([strategies[s] for s in s_nums])
            p.competencies.set([comp_by_code[c] for c in c_codes if c in comp_by_code])
            p.topics.set([topics[t] for t in t_names if t in topics])
            Activity.objects.bulk_create(
                Activity(
                    project=p,
                    name=a,
                    mode=Mode.WORKSHOP,
                    starts=start + dt.timedelta(days=30 * (n + i)),
                    ends=start + dt.timedelta(days=30 * (n + i) + 2),
                    participants=p.target_count,
                )
                for i, a in enumerate(acts)
            )
            BudgetLine.objects.bulk_create(
                BudgetLine(
                    project=p,
                    item=item,
                    amount=Decimal(budget) * Decimal(share),
                    source="งบพัฒนาบุคลากร",
                )
                for item, share in (
                    ("ค่าตอบแทนวิทยากร", "0.3"),
                    ("ค่าอาหารและอาหารว่าง", "0.5"),
                    ("ค่าวัสดุ", "0.2"),
                )
            )
            ProjectKpi.objects.create(
                project=p, text="ผู้เข้าร่วมผ่านเกณฑ์การประเมิน", target=Decimal(80), unit="ร้อยละ"
            )

    # ID plans for about a third of those who answered.
    id_plans = 0
    for response in saved[::3]:
        if response.submitted_at is None:
            continue
        plan = IdPlan.objects.create(
            person_id=response.person_id, year=year, round=rnd, school_id=response.school_id,
            status=rng.choice([IdPlanStatus.DRAFT, IdPlanStatus.SUBMITTED, IdPlanStatus.APPROVED,
                               IdPlanStatus.APPROVED]),
            goal="พัฒนาสมรรถนะที่ยังห่างจากระดับที่คาดหวัง",
        )  # fmt: skip
        chosen = rng.sample(topic_list, k=2)
        IdPlanItem.objects.bulk_create(
            IdPlanItem(plan=plan, topic=t, title=t.name, mode=rng.choice(Mode.values),
                       period="ภาคเรียนที่ 2")
            for t in chosen
        )  # fmt: skip
        id_plans += 1
    say(
        f"ข้อมูลการวางแผนสาธิต: กรอบสมรรถนะ 2 กรอบ, หัวข้อ {len(topics)} หัวข้อ, "
        f"แบบประเมิน {len(saved):,} ฉบับจาก {len(people):,} คน, แผน 2 แผน, ID Plan {id_plans:,} ฉบับ"
    )
    return {"created": True, "responses": len(saved), "id_plans": id_plans}
