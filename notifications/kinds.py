"""What a notification is about. The one list of kinds: preferences, office defaults, the
inbox filter and the unsubscribe links all use it.

A *sensitive* kind (debt, assessments) never carries its content outside the system: email
and LINE say only that something waits in KruPD, and link there.
"""

from dataclasses import dataclass

from django.db import models


class Kind(models.TextChoices):
    ENROLMENT_CONFIRMED = "enrolment_confirmed", "ลงทะเบียนเข้ารับการพัฒนาสำเร็จ"
    ENROLMENT_WAITLISTED = "enrolment_waitlisted", "อยู่ในรายชื่อรอที่นั่ง"
    ENROLMENT_PROMOTED = "enrolment_promoted", "ได้ที่นั่งจากรายชื่อรอ"
    ENROLMENT_CANCELLED = "enrolment_cancelled", "การลงทะเบียนถูกยกเลิกหรือไม่ได้รับอนุมัติ"
    ENROLMENT_REQUEST = "enrolment_request", "คำขอลงทะเบียนรอการอนุมัติ"
    SESSION_REMINDER = "session_reminder", "เตือนล่วงหน้าหนึ่งวันก่อนการอบรม"
    TEST_OPEN = "test_open", "แบบทดสอบหรือแบบประเมินความพึงพอใจเปิดให้ทำ"
    CERTIFICATE_ISSUED = "certificate_issued", "ได้รับเกียรติบัตร"
    CERTIFICATE_REVOKED = "certificate_revoked", "เกียรติบัตรถูกเพิกถอน"
    APPROVAL_WAITING = "approval_waiting", "เอกสารรอการพิจารณาของคุณ"
    APPROVAL_APPROVED = "approval_approved", "เอกสารของคุณได้รับอนุมัติ"
    APPROVAL_RETURNED = "approval_returned", "เอกสารของคุณถูกส่งกลับให้แก้ไข"
    PA_EVALUATOR = "pa_evaluator", "ได้รับแต่งตั้งเป็นกรรมการประเมิน PA"
    ROUND_OPENED = "round_opened", "เปิดรอบประเมินสมรรถนะและสำรวจความต้องการ"
    ROUND_DEADLINE = "round_deadline", "ใกล้ปิดรอบประเมินและยังไม่ได้ตอบ"
    IMPORT_FINISHED = "import_finished", "การนำเข้าข้อมูลเสร็จแล้ว"
    IMPORT_FAILED = "import_failed", "การนำเข้าข้อมูลไม่สำเร็จ"
    DEBT_CASE = "debt_case", "มีคำขอแก้ไขหนี้สินที่ต้องดำเนินการ"
    DATA_QUALITY = "data_quality", "สรุปปัญหาคุณภาพข้อมูลของสถานศึกษารายสัปดาห์"


@dataclass(frozen=True)
class KindInfo:
    group: str
    sensitive: bool = False


GROUPS = ["การพัฒนา", "การอนุมัติ", "ความต้องการและแผน", "ข้อมูลและงานของเขตพื้นที่"]

INFO: dict[str, KindInfo] = {
    Kind.ENROLMENT_CONFIRMED: KindInfo("การพัฒนา"),
    Kind.ENROLMENT_WAITLISTED: KindInfo("การพัฒนา"),
    Kind.ENROLMENT_PROMOTED: KindInfo("การพัฒนา"),
    Kind.ENROLMENT_CANCELLED: KindInfo("การพัฒนา"),
    Kind.ENROLMENT_REQUEST: KindInfo("การอนุมัติ"),
    Kind.SESSION_REMINDER: KindInfo("การพัฒนา"),
    Kind.TEST_OPEN: KindInfo("การพัฒนา"),
    Kind.CERTIFICATE_ISSUED: KindInfo("การพัฒนา"),
    Kind.CERTIFICATE_REVOKED: KindInfo("การพัฒนา"),
    Kind.APPROVAL_WAITING: KindInfo("การอนุมัติ"),
    Kind.APPROVAL_APPROVED: KindInfo("การอนุมัติ"),
    Kind.APPROVAL_RETURNED: KindInfo("การอนุมัติ"),
    Kind.PA_EVALUATOR: KindInfo("การอนุมัติ"),
    Kind.ROUND_OPENED: KindInfo("ความต้องการและแผน", sensitive=True),
    Kind.ROUND_DEADLINE: KindInfo("ความต้องการและแผน", sensitive=True),
    Kind.IMPORT_FINISHED: KindInfo("ข้อมูลและงานของเขตพื้นที่"),
    Kind.IMPORT_FAILED: KindInfo("ข้อมูลและงานของเขตพื้นที่"),
    Kind.DEBT_CASE: KindInfo("ข้อมูลและงานของเขตพื้นที่", sensitive=True),
    Kind.DATA_QUALITY: KindInfo("ข้อมูลและงานของเขตพื้นที่"),
}

# What email and LINE say for a sensitive kind: that something waits, never what.
SENSITIVE_OUTSIDE_TEXT = "มีเรื่องใหม่รอคุณในระบบ KruPD กรุณาเข้าสู่ระบบเพื่อดูรายละเอียด"


def is_sensitive(kind: str) -> bool:
    return INFO[kind].sensitive


def grouped() -> list[tuple[str, list[Kind]]]:
    return [(g, [k for k in Kind if INFO[k].group == g]) for g in GROUPS]
