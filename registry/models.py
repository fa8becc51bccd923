"""Offices, schools, enrolment, people and their history; the audit log.

Reference lists that come from circulars (learning areas, majors, academic standings,
size bands) are rows, not constants, so an office can correct them.
"""

import datetime as dt
import functools
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from krupd.lib import numerals, thai_dates, thai_id
from krupd.lib.audit_changes import change_label, normalised_changes, readable_value


class OfficeKind(models.TextChoices):
    PRIMARY = "spp", "สพป."
    SECONDARY = "spm", "สพม."


class Office(models.Model):
    code = models.CharField("รหัสเขตพื้นที่", max_length=10, unique=True)
    name = models.CharField("ชื่อเขตพื้นที่", max_length=200)
    kind = models.CharField("ประเภท", max_length=3, choices=OfficeKind.choices)
    province = models.CharField("จังหวัด", max_length=100)

    class Meta:
        verbose_name = "สำนักงานเขตพื้นที่การศึกษา"
        verbose_name_plural = "สำนักงานเขตพื้นที่การศึกษา"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# Days an import batch keeps its per-row data (national IDs, salaries) once it is finished.
DEFAULT_IMPORT_RETENTION_DAYS = 90


# The census day of the student counts (DMC counts on 10 June), as OfficeRules stores it.
DEFAULT_CENSUS_DAY = "10/06"


def census_day_parts(text: str) -> tuple[int, int] | None:
    """(day, month) of a census day written วว/ดด ("10/06", "๑๐/๖"), or None when it is not
    a day every year has (31/02, 29/02, "abc")."""
    parts = numerals.clean_text(text or "").replace(" ", "").split("/")
    if len(parts) != 2 or not all(numerals.is_ascii_digits(p) and len(p) <= 2 for p in parts):
        return None
    day, month = int(parts[0]), int(parts[1])
    try:
        dt.date(2001, month, day)  # not a leap year
    except ValueError:
        return None
    return day, month


class OfficeRules(models.Model):
    """Rules an office sets for itself; each cites why it may differ from the default."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="rules")
    retirement_age = models.PositiveSmallIntegerField(
        "อายุเกษียณ (ปี)", default=60, help_text="เกษียณสิ้นปีงบประมาณ (30 ก.ย.) ที่อายุครบ"
    )
    freshness_days = models.PositiveIntegerField("ข้อมูลถือว่าเป็นปัจจุบันภายใน (วัน)", default=180)
    allow_leading_zero_or_nine_id = models.BooleanField(
        "ยอมรับเลขประจำตัวประชาชนขึ้นต้นด้วย 0 หรือ 9",
        default=True,
        help_text="บุคคลที่ไม่มีสถานะทางทะเบียนบางกลุ่มมีเลขขึ้นต้นด้วย 0",
    )
    census_day = models.CharField(
        "วันนับข้อมูลนักเรียน (วว/ดด)", max_length=5, default=DEFAULT_CENSUS_DAY
    )
    import_retention_days = models.PositiveIntegerField(
        "เก็บข้อมูลรายแถวของไฟล์นำเข้าไว้ (วัน)",
        default=DEFAULT_IMPORT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="นับจากวันที่นำเข้าสำเร็จ หรือวันสุดท้ายที่ไฟล์ที่ไม่ได้นำเข้ามีการดำเนินการ "
        "เมื่อครบแล้วระบบลบข้อมูลรายแถว (เลขประจำตัวประชาชน เงินเดือน ฯลฯ) และไฟล์ที่อัปโหลด "
        "คงไว้เฉพาะจำนวนสรุป (PDPA)",
    )

    class Meta:
        verbose_name = "การตั้งค่าของเขตพื้นที่"
        verbose_name_plural = "การตั้งค่าของเขตพื้นที่"

    def __str__(self) -> str:
        return f"การตั้งค่า {self.office}"

    def census_date(self, academic_year: int) -> dt.date:
        """The census day of a BE academic year (in its first calendar year). A stored day
        that is not a date (written before the settings form checked it) counts as 10 June,
        rather than failing every page that reads it."""
        return census_date(self.census_day, academic_year)

    def counted_academic_year(self, today: dt.date) -> int:
        """The academic year whose student counts are current on `today`: a year opens on
        16 May, but its pupils are only counted on the census day; until then the year
        before's counts (and staffing) are the current ones."""
        year = thai_dates.academic_year(today)
        return year if today >= self.census_date(year) else year - 1


def census_date(census_day: str, academic_year: int) -> dt.date:
    """The census day written `census_day` (วว/ดด) in BE academic year `academic_year`."""
    day, month = census_day_parts(census_day) or census_day_parts(DEFAULT_CENSUS_DAY)
    return dt.date(academic_year - thai_dates.BE_OFFSET, month, day)


class SchoolLevel(models.TextChoices):
    PRIMARY = "primary", "ประถมศึกษา"
    EXPANSION = "expansion", "ขยายโอกาสทางการศึกษา"
    SECONDARY = "secondary", "มัธยมศึกษา"


class SizeBand(models.Model):
    """School size by enrolment, per office kind (สพป./สพม. use different cut-offs)."""

    office_kind = models.CharField("ประเภทเขต", max_length=3, choices=OfficeKind.choices)
    name = models.CharField("ขนาด", max_length=50)
    min_students = models.PositiveIntegerField("นักเรียนตั้งแต่")
    max_students = models.PositiveIntegerField("ถึง", null=True, blank=True)
    source = models.CharField("ที่มา", max_length=200, blank=True)

    class Meta:
        verbose_name = "ขนาดสถานศึกษา"
        verbose_name_plural = "ขนาดสถานศึกษา"
        ordering = ["office_kind", "min_students"]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A school network/cluster (เครือข่ายสถานศึกษา) inside one office."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="networks")
    name = models.CharField("ชื่อเครือข่าย", max_length=200)

    class Meta:
        verbose_name = "เครือข่ายสถานศึกษา"
        verbose_name_plural = "เครือข่ายสถานศึกษา"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="network_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="schools")
    obec_code = models.CharField("รหัสสถานศึกษา (10 หลัก)", max_length=10, unique=True)
    name = models.CharField("ชื่อสถานศึกษา", max_length=200)
    level = models.CharField("ระดับ", max_length=10, choices=SchoolLevel.choices)
    district = models.CharField("อำเภอ", max_length=100, blank=True)
    subdistrict = models.CharField("ตำบล", max_length=100, blank=True)
    network = models.ForeignKey(
        Network,
        verbose_name="เครือข่าย",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
    )
    latitude = models.DecimalField("ละติจูด", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("ลองจิจูด", max_digits=9, decimal_places=6, null=True, blank=True)
    # Denormalised from the latest enrolment so lists can filter and sort by size cheaply.
    total_students = models.PositiveIntegerField("จำนวนนักเรียน", default=0)
    total_classrooms = models.PositiveIntegerField("จำนวนห้องเรียน", default=0)
    size_band = models.CharField("ขนาดโรงเรียน", max_length=50, blank=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    data_confirmed_at = models.DateTimeField("ยืนยัน/นำเข้าข้อมูลล่าสุด", null=True, blank=True)
    # A school closed, or merged into another (ยุบรวม/เรียนรวม, OBEC's small-school policy),
    # stays with its history: from `closed_on` on it is offered for no new record and counted
    # in no staffing census (registry.queries.open_on); before it, it is as it was.
    closed_on = models.DateField("วันที่ปิด/ยุบรวม", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="ยุบรวมกับสถานศึกษา", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="merged_schools",
    )  # fmt: skip
    closure_reason = models.CharField(  # noqa: DJ001 (added to existing rows: nullable)
        "เหตุผลการปิด/ยุบรวม", max_length=300, null=True, blank=True
    )

    class Meta:
        verbose_name = "สถานศึกษา"
        verbose_name_plural = "สถานศึกษา"
        ordering = ["obec_code"]
        indexes = [models.Index(fields=["office", "name"])]

    def __str__(self) -> str:
        return self.name

    def is_closed_on(self, day: dt.date) -> bool:
        """Closed (or merged into another) on `day`: from its closing day on."""
        return self.closed_on is not None and self.closed_on <= day

    @property
    def closure_label(self) -> str:
        """ "ปิด/ยุบรวม" with the day, and the school it was merged into: as pages name it."""
        if self.closed_on is None:
            return ""
        text = f"ปิด/ยุบรวมเมื่อ {thai_dates.format_thai_date(self.closed_on, style='long')}"
        if self.merged_into_id:
            text += f" ยุบรวมกับ{self.merged_into.name}"
        return text


class Grade(models.TextChoices):
    K1 = "k1", "อ.1"
    K2 = "k2", "อ.2"
    K3 = "k3", "อ.3"
    P1 = "p1", "ป.1"
    P2 = "p2", "ป.2"
    P3 = "p3", "ป.3"
    P4 = "p4", "ป.4"
    P5 = "p5", "ป.5"
    P6 = "p6", "ป.6"
    M1 = "m1", "ม.1"
    M2 = "m2", "ม.2"
    M3 = "m3", "ม.3"
    M4 = "m4", "ม.4"
    M5 = "m5", "ม.5"
    M6 = "m6", "ม.6"


class Enrolment(models.Model):
    """Students and classrooms of one grade in one school, on the census day of an academic year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="enrolments")
    academic_year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    census_date = models.DateField("วันนับข้อมูล")
    grade = models.CharField("ชั้น", max_length=2, choices=Grade.choices)
    students = models.PositiveIntegerField("นักเรียน")
    classrooms = models.PositiveIntegerField("ห้องเรียน")

    class Meta:
        verbose_name = "ข้อมูลนักเรียนรายชั้น"
        verbose_name_plural = "ข้อมูลนักเรียนรายชั้น"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade"], name="enrolment_unique_grade"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_grade_display()} ปี {self.academic_year}"


class LearningArea(models.Model):
    """Learning areas (กลุ่มสาระ, สพฐ. 921/2561) and the extra staffing columns (ปฐมวัย, บริหาร…)."""

    code = models.CharField("รหัส", max_length=20, unique=True)
    name = models.CharField("ชื่อกลุ่มสาระ", max_length=100)
    short_name = models.CharField("ชื่อย่อในตาราง", max_length=50)
    is_core = models.BooleanField("เป็น 8 กลุ่มสาระหลัก", default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "กลุ่มสาระการเรียนรู้"
        verbose_name_plural = "กลุ่มสาระการเรียนรู้"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Major(models.Model):
    """A วิชาเอก as written on degrees, mapped to the learning area it qualifies for."""

    name = models.CharField("วิชาเอก", max_length=150, unique=True)
    learning_area = models.ForeignKey(
        LearningArea,
        verbose_name="กลุ่มสาระที่ตรง",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="majors",
    )

    class Meta:
        verbose_name = "วิชาเอก"
        verbose_name_plural = "วิชาเอก"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AcademicStanding(models.Model):
    """A rung of the วิทยฐานะ ladder (ครูผู้ช่วย → … → เชี่ยวชาญพิเศษ), for a personnel line."""

    code = models.CharField("รหัส", max_length=20, unique=True)
    name = models.CharField("วิทยฐานะ", max_length=100)
    rank = models.PositiveSmallIntegerField("ลำดับขั้น")
    salary_grade = models.CharField("อันดับเงินเดือน", max_length=10, blank=True)

    class Meta:
        verbose_name = "วิทยฐานะ"
        verbose_name_plural = "วิทยฐานะ"
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class PersonnelType(models.TextChoices):
    TEACHER = "teacher", "ครู"
    ASSISTANT_TEACHER = "assistant_teacher", "ครูผู้ช่วย"
    DIRECTOR = "director", "ผู้อำนวยการสถานศึกษา"
    DEPUTY_DIRECTOR = "deputy_director", "รองผู้อำนวยการสถานศึกษา"
    SUPERVISOR = "supervisor", "ศึกษานิเทศก์"
    EDUCATIONAL_PERSONNEL = "educational_personnel", "บุคลากรทางการศึกษาอื่น"
    EMPLOYEE = "employee", "ลูกจ้าง/พนักงานราชการ"


ADMINISTRATOR_TYPES = (PersonnelType.DIRECTOR, PersonnelType.DEPUTY_DIRECTOR)
TEACHING_TYPES = (PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER)


class Gender(models.TextChoices):
    MALE = "male", "ชาย"
    FEMALE = "female", "หญิง"
    OTHER = "other", "ไม่ระบุ"


class Degree(models.TextChoices):
    BELOW_BACHELOR = "below_bachelor", "ต่ำกว่าปริญญาตรี"
    BACHELOR = "bachelor", "ปริญญาตรี"
    MASTER = "master", "ปริญญาโท"
    DOCTORATE = "doctorate", "ปริญญาเอก"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "ปฏิบัติงาน"
    TRANSFERRED = "transferred", "ย้ายออก"
    RETIRED = "retired", "เกษียณ"
    DECEASED = "deceased", "ถึงแก่กรรม"
    RESIGNED = "resigned", "ลาออก"


# Every way of leaving service: the staffing counts keep a leaver on the census day when the
# status history dates the leaving after it.
LEFT_STATUSES = tuple(s for s in PersonStatus if s != PersonStatus.ACTIVE)


class Employment(models.TextChoices):
    """How a person is employed: only civil servants hold positions on the จ.18 register."""

    CIVIL_SERVANT = "civil_servant", "ข้าราชการ"
    GOVERNMENT_EMPLOYEE = "gov_employee", "พนักงานราชการ"
    CONTRACT_TEACHER = "contract_teacher", "ครูอัตราจ้าง"
    EMPLOYEE = "employee", "ลูกจ้างประจำ"
    TEMPORARY_EMPLOYEE = "temp_employee", "ลูกจ้างชั่วคราว"


# Everyone not on the จ.18 register: counted as contract staff when a rule set says so.
CONTRACT_EMPLOYMENTS = tuple(e for e in Employment if e != Employment.CIVIL_SERVANT)


class Secondment(models.TextChoices):
    """ช่วยราชการ: working at a school other than the one holding the position."""

    NONE = "", "ไม่ได้ช่วยราชการ"
    OUT = "out", "ไปช่วยราชการ"
    IN = "in", "มาช่วยราชการ"


def full_name_of(title: str, first_name: str, last_name: str) -> str:
    """A person's name as every page and document prints it: "นางสาวสมใจ ใจดี"."""
    return f"{title}{first_name} {last_name}"


class Person(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="people")
    school = models.ForeignKey(
        School,
        verbose_name="สถานศึกษา",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="เว้นว่างหากปฏิบัติงานที่สำนักงานเขตพื้นที่",
    )
    national_id = models.CharField("เลขประจำตัวประชาชน", max_length=13, unique=True)
    title = models.CharField("คำนำหน้า", max_length=50)
    first_name = models.CharField("ชื่อ", max_length=100)
    last_name = models.CharField("นามสกุล", max_length=100)
    first_name_en = models.CharField("ชื่อ (อังกฤษ)", max_length=100, blank=True)
    last_name_en = models.CharField("นามสกุล (อังกฤษ)", max_length=100, blank=True)
    gender = models.CharField("เพศ", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("วันเกิด", null=True, blank=True)
    personnel_type = models.CharField("ประเภทบุคลากร", max_length=24, choices=PersonnelType.choices)
    position = models.CharField("ตำแหน่ง", max_length=100)
    academic_standing = models.ForeignKey(
        AcademicStanding,
        verbose_name="วิทยฐานะ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    position_number = models.CharField("เลขที่ตำแหน่ง (จ.18)", max_length=20, blank=True)
    salary_grade = models.CharField("อันดับ", max_length=10, blank=True)
    salary = models.DecimalField(
        "เงินเดือน (บาท)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    appointment_date = models.DateField("วันบรรจุ", null=True, blank=True)
    highest_degree = models.CharField(
        "วุฒิการศึกษาสูงสุด", max_length=16, choices=Degree.choices, blank=True
    )
    major = models.ForeignKey(
        Major,
        verbose_name="วิชาเอก",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    areas_taught = models.ManyToManyField(
        LearningArea, verbose_name="กลุ่มสาระที่สอนจริง", blank=True, related_name="teachers"
    )
    phone = models.CharField("โทรศัพท์", max_length=20, blank=True)
    email = models.EmailField("อีเมล", blank=True)
    status = models.CharField(
        "สถานะ", max_length=12, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    employment = models.CharField(
        "ประเภทการจ้าง",
        max_length=16,
        choices=Employment.choices,
        default=Employment.CIVIL_SERVANT,
        help_text="ข้าราชการครองตำแหน่งตาม จ.18; "
        "พนักงานราชการ ครูอัตราจ้าง ลูกจ้างประจำ และลูกจ้างชั่วคราวไม่มีตำแหน่งใน จ.18",
    )
    secondment = models.CharField(
        "การช่วยราชการ", max_length=3, choices=Secondment.choices, default="", blank=True
    )
    secondment_school = models.ForeignKey(
        School,
        verbose_name="สถานศึกษาที่ช่วยราชการ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="secondees",
        help_text="ไปช่วยราชการ: สถานศึกษาที่ไปปฏิบัติงานจริง (ตำแหน่งยังอยู่ที่สถานศึกษาข้างต้น); "
        "มาช่วยราชการ: สถานศึกษาต้นสังกัดที่ตำแหน่งอยู่ (ปฏิบัติงานจริงที่สถานศึกษาข้างต้น)",
    )
    secondment_until = models.DateField("ช่วยราชการถึงวันที่", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "บุคลากร"
        verbose_name_plural = "บุคลากร"
        ordering = ["first_name", "last_name"]
        indexes = [
            models.Index(fields=["office", "status", "personnel_type"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["last_name"]),
            # The staffing analysis looks up, for every leaver, who holds the same position
            # number now; without it a 100,000-person office's page scanned the office per
            # leaver (minutes).
            models.Index(fields=["office", "position_number"], name="person_office_position_no"),
            # Stored summaries (data quality, staffing counts) check that an office's people
            # are unchanged with its latest update time: one index probe, not an office scan.
            models.Index(fields=["office", "updated_at"], name="person_office_updated"),
            # The office's own staff (no school), as the data-quality page lists their
            # problems: SQLite otherwise read all 100,000 people of an office through
            # (office, status) to find its 4,000 staff.
            models.Index(fields=["office", "school", "status"], name="person_office_school"),
            # The people list's default order (PEOPLE_SORTS "name", either way): PostgreSQL
            # reads a page of 50 in index order instead of joining and sorting every active
            # person of the office (its database time per list fell from about 3.4 ms to 0.5
            # ms for 1,000 people; it grows with the office without it).
            models.Index(
                fields=["office", "status", "first_name", "last_name", "id"],
                name="person_office_name",
            ),
            # The people picker's standing menu lists the standings its candidates have, one
            # probe per standing; through (office, status) SQLite read the whole office.
            models.Index(
                fields=["office", "academic_standing", "status"], name="person_office_standing"
            ),
            # The retirement forecast counts those born in a ten-year window by school and by
            # major from this index alone; through (office, school, status) SQLite read every
            # person row of the office (100,000) for the 25,000 in the window.
            models.Index(
                fields=[
                    "office",
                    "birth_date",
                    "status",
                    "employment",
                    "personnel_type",
                    "school",
                    "major",
                ],
                name="person_office_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name_of(self.title, self.first_name, self.last_name)

    @property
    def masked_national_id(self) -> str:
        return thai_id.mask_national_id(self.national_id)

    def retirement_date(self, *, retirement_age: int = 60) -> dt.date | None:
        if self.birth_date is None:
            return None
        return thai_dates.retirement_date(self.birth_date, retirement_age=retirement_age)

    @property
    def workplace_name(self) -> str:
        return self.school.name if self.school_id else self.office.name

    @property
    def is_contract(self) -> bool:
        return self.employment in CONTRACT_EMPLOYMENTS


class PositionChange(models.Model):
    """History of a person's position, standing, position number and workplace."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="position_changes")
    effective_date = models.DateField("วันที่มีผล")
    field = models.CharField("รายการ", max_length=40)
    old_value = models.CharField("เดิม", max_length=200, blank=True)
    new_value = models.CharField("ใหม่", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField("ที่มา", max_length=100, blank=True)
    # A change of workplace ("สถานศึกษา") names the school left by its text, as people read
    # it; two schools may share a name, so the school itself is kept beside it: the staffing
    # count of a census day before the move places the person there (staffing.queries).
    old_school = models.ForeignKey(
        "School", verbose_name="สถานศึกษาเดิม", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "ประวัติการดำรงตำแหน่ง"
        verbose_name_plural = "ประวัติการดำรงตำแหน่ง"
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


class AuditAction(models.TextChoices):
    CREATE = "create", "เพิ่ม"
    UPDATE = "update", "แก้ไข"
    DELETE = "delete", "ลบ"
    VIEW_NATIONAL_ID = "view_id", "เปิดดูเลขประจำตัวประชาชน"
    IMPORT = "import", "นำเข้าข้อมูล"
    EXPORT = "export", "ส่งออกข้อมูล"
    VIEW_DEBT = "view_debt", "เปิดดูข้อมูลหนี้สิน"
    VIEW_PA = "view_pa", "เปิดดูผลการประเมิน PA"
    VIEW_ASSESSMENT = "view_asmt", "เปิดดูผลการประเมินสมรรถนะ"
    DENIED = "denied", "ถูกปฏิเสธ (รหัสผ่านไม่ถูกต้อง)"
    MERGE = "merge", "รวมระเบียน"


# What the log shows for a code no version of AuditAction names any more (an entry written by
# an older or newer release, or by hand): Django would show the code itself, in English.
UNKNOWN_AUDIT_ACTION_LABEL = "การดำเนินการอื่น"


_AUDIT_ACTION_LABELS = {value: str(label) for value, label in AuditAction.choices}


class AuditEntry(models.Model):
    """Who did what to which record, with the values before and after. Append-only."""

    office = models.ForeignKey(Office, on_delete=models.SET_NULL, null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "บันทึกการใช้งาน"
        verbose_name_plural = "บันทึกการใช้งาน"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action_label} {self.object_label}"

    @property
    def action_label(self) -> str:
        """The action in Thai, whatever code is stored."""
        return _AUDIT_ACTION_LABELS.get(self.action, UNKNOWN_AUDIT_ACTION_LABEL)

    def readable_changes(self) -> list[tuple[str, object, object]]:
        """Changes as (Thai field label, before, after) as text, in the order they were written.
        A key is named by the Thai name of the column of the record's model, or by
        krupd.lib.audit_changes.change_label: never shown as its English key."""
        labels = _column_labels(self.object_type)
        # Entries written before `changes` had one shape are read through the same normaliser
        # the data migration used, so nothing stored can break the page.
        return [
            (change_label(k, labels), readable_value(old), readable_value(new))
            for k, (old, new) in normalised_changes(self.changes).items()
        ]


@functools.cache
def _models_by_name() -> dict[str, type[models.Model]]:
    from django.apps import apps

    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        found.setdefault(model._meta.model_name, model)
    return found


@functools.cache
def _column_labels(object_type: str) -> dict[str, str]:
    """{column: its Thai name} of the model an entry's object_type names (columns without a
    Thai name of their own, "ID" among them, are left to change_label)."""
    model = _models_by_name().get(object_type)
    if model is None:
        return {}
    return {
        f.name: str(f.verbose_name)
        for f in model._meta.get_fields()
        if hasattr(f, "verbose_name") and _THAI.search(str(f.verbose_name))
    }


_THAI = re.compile(r"[\u0e00-\u0e7f]")  # a name Django made from the column's ("ID") is not


# ---------------------------------------------------------------------------------------------
# Stored data-quality counts (registry.quality_counts)


class QualityCount(models.Model):
    """The data-quality counts of one school's active people (or of the office's own staff),
    as the full count (registry.quality.count_people) would find them: how many there are,
    their latest update, how many each person rule of registry.quality was checked on and
    how many fail it (quality.counts_by_rule), and how many there are of each personnel type.

    One row a school, so a report of an office of 1,000 schools reads 1,000 rows, not one per
    school and rule. Kept by registry.quality_counts in the transaction of every write that
    can change a person's rule results, school, type or status; rebuilt and verified by
    `manage.py rebuild_quality_counts`."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    # The people's school id; 0 for the office's own staff. A plain number, not a foreign
    # key: a NULL could not take part in the unique key, and a school's row goes with its
    # last active person (a deleted school has none).
    school = models.IntegerField()
    people = models.IntegerField()
    last_update = models.DateTimeField(null=True)
    # [checked, failed, checked, failed, ...] of registry.quality.PERSON_RULES in order (the
    # rules the office was built with: QualityCountsBuilt.rules); a list, as a report of
    # 1,000 schools decodes 1,000 of them.
    counts = models.JSONField(default=list)
    # {personnel type: active people}: the KPI dashboard's denominators.
    types = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "school"], name="quality_count_school")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.school}: {self.people}"


class QualityCountsBuilt(models.Model):
    """An office whose stored quality counts were built from a full count, for which day
    (rules comparing with today were counted as of `as_of`), with which ID setting and which
    rules. Until then, or once any of them differs, its reports count from the records (and
    build it again)."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    allow_leading_zero_or_nine_id = models.BooleanField()
    rules = models.TextField()  # the person rules' codes, comma separated
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.office_id} {self.as_of}"
