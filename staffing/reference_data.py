"""The staffing criterion every office starts with: a shared default rule set (office = None).

What is confirmed (DOMAIN.md): primary schools with ≤120 pupils get 1 administrator and
teachers by pupil bands 1–20 → 1, 21–40 → 2, 41–60 → 3, 61–80 → 4. Everything else below is
an editable default marked "to verify" (ต้องตรวจสอบ): 81–100 → 5 and 101–120 → 6 follow the
pattern; larger primary schools are room-based (a 160-pupil, 9-room school got 1 director +
10 teachers in 2020 data: 1 + 1 per room); expansion and secondary schools and all deputy
bands are placeholders to be replaced from the circular. Area weights are the shares of
the SAR's จ.18 table (สพป.เพชรบุรี เขต 1, 2555), not a criterion.
"""

import datetime as dt

RULE_SET = {
    "name": "เกณฑ์อัตรากำลังข้าราชการครูและบุคลากรทางการศึกษา (ก.ค.ศ.)",
    "version": "ค่าเริ่มต้น 2569",
    "source": "เกณฑ์ ก.ค.ศ. — ยืนยันได้เฉพาะ ร.ร.ประถมศึกษา ≤120 คน; ส่วนอื่นรอตรวจกับหนังสือเวียน",
    "effective_date": dt.date(2000, 1, 1),
    "to_verify": True,
    "notes": "ค่าเริ่มต้นที่ใช้ร่วมกันทุกเขต คัดลอกเป็นฉบับของเขตแล้วแก้ไขให้ตรงหนังสือเวียน",
}

# level, basis, min, max, administrators, deputies, teachers, per room, pupils per teacher,
# to verify, note
ROWS = [
    ("primary", "students", 1, 20, 1, 0, 1, 0, None, False, "ยืนยันแล้ว"),
    ("primary", "students", 21, 40, 1, 0, 2, 0, None, False, "ยืนยันแล้ว"),
    ("primary", "students", 41, 60, 1, 0, 3, 0, None, False, "ยืนยันแล้ว"),
    ("primary", "students", 61, 80, 1, 0, 4, 0, None, False, "ยืนยันแล้ว"),
    ("primary", "students", 81, 100, 1, 0, 5, 0, None, True, "ตามแบบแผน ยังไม่ยืนยัน"),
    ("primary", "students", 101, 120, 1, 0, 6, 0, None, True, "ตามแบบแผน ยังไม่ยืนยัน"),
    ("primary", "students", 121, 359, 1, 0, 1, 1, None, True, "ครู 1 + 1 ต่อห้อง (ข้อมูลปี 2563)"),
    ("primary", "students", 360, 719, 1, 1, 1, 1, None, True, "ค่าเริ่มต้น"),
    ("primary", "students", 720, 1079, 1, 2, 1, 1, None, True, "ค่าเริ่มต้น"),
    ("primary", "students", 1080, None, 1, 3, 1, 1, None, True, "ค่าเริ่มต้น"),
    ("expansion", "students", 1, 359, 1, 0, 1, 1, None, True, "ค่าเริ่มต้น"),
    ("expansion", "students", 360, 719, 1, 1, 1, 1, None, True, "ค่าเริ่มต้น"),
    ("expansion", "students", 720, None, 1, 2, 1, 1, None, True, "ค่าเริ่มต้น"),
    ("secondary", "students", 1, 499, 1, 1, 0, "1.5", None, True, "ค่าเริ่มต้น"),
    ("secondary", "students", 500, 1499, 1, 2, 0, "1.5", None, True, "ค่าเริ่มต้น"),
    ("secondary", "students", 1500, None, 1, 4, 0, "1.5", None, True, "ค่าเริ่มต้น"),
]

# The default rule set carries no split of teachers by learning area: a split copied from one
# office's register would be another office's proportions. Need by area comes from the
# office's own register (staffing.queries._demand_from_own_data); an office may still set its
# own split on its rule set.


def load_default_rules(apps=None) -> None:
    """Create the shared default rule set once; an existing one (maybe edited) is kept."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    RuleSet = apps.get_model("staffing", "RuleSet")
    RuleRow = apps.get_model("staffing", "RuleRow")
    if RuleSet.objects.filter(office__isnull=True, version=RULE_SET["version"]).exists():
        return
    rule_set = RuleSet.objects.create(office=None, **RULE_SET)
    for level, basis, lo, hi, adm, dep, tch, per_room, per_teacher, verify, note in ROWS:
        RuleRow.objects.create(
            rule_set=rule_set, level=level, basis=basis, band_min=lo, band_max=hi,
            administrators=adm, deputies=dep, teachers=tch, teachers_per_room=per_room,
            students_per_teacher=per_teacher, to_verify=verify, note=note,
        )  # fmt: skip
