"""Reference lists every office starts with. They are rows the office can edit afterwards.

Sources: learning areas per สพฐ. order 921/2561 plus the extra columns staffing tables use
(the SAR); วิทยฐานะ ladder per ก.ค.ศ.; size bands per OBEC practice (see DOMAIN.md).
"""

LEARNING_AREAS = [
    # code, name, short name used in staffing tables, is one of the 8 core areas
    ("thai", "ภาษาไทย", "ภาษาไทย", True),
    ("math", "คณิตศาสตร์", "คณิตศาสตร์", True),
    ("science", "วิทยาศาสตร์และเทคโนโลยี", "วิทยาศาสตร์", True),
    ("social", "สังคมศึกษา ศาสนา และวัฒนธรรม", "สังคมศึกษา", True),
    ("health", "สุขศึกษาและพลศึกษา", "สุขศึกษา", True),
    ("arts", "ศิลปะ", "ศิลปะ", True),
    ("career", "การงานอาชีพ", "การงานฯ", True),
    ("foreign", "ภาษาต่างประเทศ", "ภาษาต่างประเทศ", True),
    ("activity", "กิจกรรมพัฒนาผู้เรียน", "กิจกรรมพัฒนาผู้เรียน", False),
    ("early", "ปฐมวัย/ประถมศึกษา (ครูประจำชั้น)", "ปฐมวัย/ประถมศึกษา", False),
    ("guidance", "แนะแนว", "แนะแนว", False),
    ("library", "ห้องสมุด", "ห้องสมุด", False),
    ("admin", "บริหารสถานศึกษา", "บริหาร", False),
]

ACADEMIC_STANDINGS = [
    # code, name, rank, salary grade
    ("assistant", "ครูผู้ช่วย", 0, "ครูผู้ช่วย"),
    ("k1", "ไม่มีวิทยฐานะ", 1, "คศ.1"),
    ("k2", "ชำนาญการ", 2, "คศ.2"),
    ("k3", "ชำนาญการพิเศษ", 3, "คศ.3"),
    ("k4", "เชี่ยวชาญ", 4, "คศ.4"),
    ("k5", "เชี่ยวชาญพิเศษ", 5, "คศ.5"),
]

SIZE_BANDS = [
    # office kind, name, min, max
    ("spp", "ขนาดเล็ก", 1, 120),
    ("spp", "ขนาดกลาง", 121, 600),
    ("spp", "ขนาดใหญ่", 601, 1500),
    ("spp", "ขนาดใหญ่พิเศษ", 1501, None),
    ("spm", "ขนาดเล็ก", 1, 499),
    ("spm", "ขนาดกลาง", 500, 1499),
    ("spm", "ขนาดใหญ่", 1500, 2499),
    ("spm", "ขนาดใหญ่พิเศษ", 2500, None),
]

# วิชาเอก as commonly written on Thai teaching degrees → learning area code.
MAJORS = [
    ("ภาษาไทย", "thai"),
    ("การสอนภาษาไทย", "thai"),
    ("คณิตศาสตร์", "math"),
    ("การสอนคณิตศาสตร์", "math"),
    ("สถิติ", "math"),
    ("วิทยาศาสตร์ทั่วไป", "science"),
    ("ฟิสิกส์", "science"),
    ("เคมี", "science"),
    ("ชีววิทยา", "science"),
    ("คอมพิวเตอร์ศึกษา", "science"),
    ("วิทยาการคอมพิวเตอร์", "science"),
    ("เทคโนโลยีสารสนเทศ", "science"),
    ("สังคมศึกษา", "social"),
    ("ประวัติศาสตร์", "social"),
    ("ภูมิศาสตร์", "social"),
    ("พระพุทธศาสนา", "social"),
    ("พลศึกษา", "health"),
    ("สุขศึกษา", "health"),
    ("ศิลปศึกษา", "arts"),
    ("ดนตรีศึกษา", "arts"),
    ("นาฏศิลป์", "arts"),
    ("ดนตรีไทย", "arts"),
    ("เกษตรกรรม", "career"),
    ("คหกรรมศาสตร์", "career"),
    ("อุตสาหกรรมศิลป์", "career"),
    ("ธุรกิจศึกษา", "career"),
    ("ภาษาอังกฤษ", "foreign"),
    ("การสอนภาษาอังกฤษ", "foreign"),
    ("ภาษาจีน", "foreign"),
    ("ภาษาญี่ปุ่น", "foreign"),
    ("การศึกษาปฐมวัย", "early"),
    ("ประถมศึกษา", "early"),
    ("จิตวิทยาการแนะแนว", "guidance"),
    ("บรรณารักษศาสตร์", "library"),
    ("การบริหารการศึกษา", "admin"),
    ("เทคโนโลยีการศึกษา", None),
    ("การวัดและประเมินผลการศึกษา", None),
]


def load_reference_data(apps=None) -> None:
    """Create missing reference rows; existing rows (possibly edited by the office) are kept."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    LearningArea = apps.get_model("registry", "LearningArea")
    AcademicStanding = apps.get_model("registry", "AcademicStanding")
    SizeBand = apps.get_model("registry", "SizeBand")
    Major = apps.get_model("registry", "Major")

    for order, (code, name, short, core) in enumerate(LEARNING_AREAS):
        LearningArea.objects.get_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "is_core": core, "sort_order": order},
        )
    for code, name, rank, grade in ACADEMIC_STANDINGS:
        AcademicStanding.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "salary_grade": grade}
        )
    if not SizeBand.objects.exists():
        for kind, name, low, high in SIZE_BANDS:
            SizeBand.objects.create(
                office_kind=kind, name=name, min_students=low, max_students=high,
                source="เกณฑ์ขนาดสถานศึกษา สพฐ. (แก้ไขได้)",
            )  # fmt: skip
    areas = {a.code: a for a in LearningArea.objects.all()}
    for name, area_code in MAJORS:
        Major.objects.get_or_create(name=name, defaults={"learning_area": areas.get(area_code)})
