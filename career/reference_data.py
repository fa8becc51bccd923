"""PA rules of ก.ค.ศ. ว 9/2564 and tenure conditions, loaded by a data migration.

Offices edit these rows (admin) when a circular changes; nothing here is used as a constant.
Indicator wording follows แบบ PA 1/ส (ตำแหน่งครู); tenure years are *unconfirmed* and
marked so in their source.
"""

PA_EDITION = {
    "code": "w9-2564-teacher",
    "name": "ข้อตกลงในการพัฒนางาน ตำแหน่งครู (ว 9/2564)",
    "source": "หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ 0206.3/ว 9 ลงวันที่ 20 พฤษภาคม 2564",
    "indicator_points": 4,
    "challenge_method_points": 20,
    "challenge_quant_points": 10,
    "challenge_qual_points": 10,
    "level_pcts": [25, 50, 75, 100],
}

PA_INDICATORS = [
    (1, 1, "สร้างและหรือพัฒนาหลักสูตร"),
    (1, 2, "ออกแบบการจัดการเรียนรู้"),
    (1, 3, "จัดกิจกรรมการเรียนรู้"),
    (1, 4, "สร้างและหรือพัฒนาสื่อ นวัตกรรม เทคโนโลยี และแหล่งเรียนรู้"),
    (1, 5, "วัดและประเมินผลการเรียนรู้"),
    (1, 6, "ศึกษา วิเคราะห์ และสังเคราะห์ เพื่อแก้ปัญหาหรือพัฒนาการเรียนรู้"),
    (1, 7, "จัดบรรยากาศที่ส่งเสริมและพัฒนาผู้เรียน"),
    (1, 8, "อบรมและพัฒนาคุณลักษณะที่ดีของผู้เรียน"),
    (2, 9, "จัดทำข้อมูลสารสนเทศของผู้เรียนและรายวิชา"),
    (2, 10, "ดำเนินการตามระบบดูแลช่วยเหลือผู้เรียน"),
    (2, 11, "ปฏิบัติงานวิชาการ และงานอื่น ๆ ของสถานศึกษา"),
    (2, 12, "ประสานความร่วมมือกับผู้ปกครอง ภาคีเครือข่าย และหรือสถานประกอบการ"),
    (3, 13, "พัฒนาตนเองอย่างเป็นระบบและต่อเนื่อง"),
    (3, 14, "มีส่วนร่วมในการแลกเปลี่ยนเรียนรู้ทางวิชาชีพเพื่อพัฒนาการจัดการเรียนรู้"),
    (3, 15, "นำความรู้ ความสามารถ ทักษะที่ได้จากการพัฒนาตนเองและวิชาชีพมาใช้ในการพัฒนาการจัดการเรียนรู้"),
]

# Expected practice level by standing (DOMAIN.md), shown on the agreement.
EXPECTED_PRACTICE = {
    "k1": "การปรับประยุกต์",
    "k2": "การแก้ไขปัญหา",
    "k3": "การริเริ่ม พัฒนา",
    "k4": "การคิดค้น ปรับเปลี่ยน",
    "k5": "การสร้างการเปลี่ยนแปลง",
}

_TENURE_SOURCE = "ก.ค.ศ. ว 9/2564 (จำนวนปี *ยังไม่ยืนยัน* — ตรวจสอบกับหนังสือเวียนก่อนใช้)"
# from standing, to standing, years, with master's, with doctorate
STANDING_RULES = [
    ("k1", "k2", 6, 4, 2),
    ("k2", "k3", 4, None, None),
    ("k3", "k4", 4, None, None),
    ("k4", "k5", 3, None, None),
]


def load_reference_data(apps) -> None:
    edition_model = apps.get_model("career", "PAEdition")
    indicator_model = apps.get_model("career", "PAIndicator")
    standing_model = apps.get_model("registry", "AcademicStanding")
    rule_model = apps.get_model("career", "StandingRule")
    edition, _ = edition_model.objects.get_or_create(
        code=PA_EDITION["code"], defaults={k: v for k, v in PA_EDITION.items() if k != "code"}
    )
    for area, number, text in PA_INDICATORS:
        indicator_model.objects.get_or_create(
            edition=edition, number=number, defaults={"area": area, "text": text}
        )
    standings = {s.code: s for s in standing_model.objects.all()}
    for src, dst, years, masters, doctorate in STANDING_RULES:
        if src in standings and dst in standings:
            rule_model.objects.get_or_create(
                from_standing=standings[src],
                defaults={
                    "to_standing": standings[dst],
                    "min_years": years,
                    "min_years_with_masters": masters,
                    "min_years_with_doctorate": doctorate,
                    "source": _TENURE_SOURCE,
                },
            )
