"""The REST API: one NinjaAPI, each app adds its router. Session login, same scoping as pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from registry.api import router as registry_router

api = NinjaAPI(
    title="KruPD API",
    version="1",
    description="ข้อมูลทะเบียนครูและบุคลากรทางการศึกษา ตามสิทธิ์ของผู้ใช้ที่เข้าสู่ระบบ",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/registry", registry_router)
api.add_router("/staffing", "staffing.api.router")
api.add_router("/training", "training.api.router")
api.add_router("/planning", "planning.api.router")
api.add_router("/community", "community.api.router")
api.add_router("/career", "career.api.router")
api.add_router("/reporting", "reporting.api.router")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "ไม่มีสิทธิ์เข้าถึงข้อมูลนี้"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "ไม่พบข้อมูล"}, status=404)


# What a wrong parameter means, said in Thai. Django Ninja reports each problem with pydantic's
# error ``type`` and an English ``msg``; ``type`` and ``loc`` stay for programs, ``msg`` is
# replaced so that whoever reads the answer reads the same Thai as the pages.
VALIDATION_MESSAGES = {
    "missing": "ต้องระบุค่านี้",
    "int_parsing": "ต้องเป็นจำนวนเต็ม",
    "int_type": "ต้องเป็นจำนวนเต็ม",
    "int_from_float": "ต้องเป็นจำนวนเต็ม",
    "float_parsing": "ต้องเป็นตัวเลข",
    "float_type": "ต้องเป็นตัวเลข",
    "decimal_parsing": "ต้องเป็นตัวเลข",
    "bool_parsing": "ต้องเป็น true หรือ false",
    "bool_type": "ต้องเป็น true หรือ false",
    "string_type": "ต้องเป็นข้อความ",
    "string_too_short": "สั้นเกินไป (อย่างน้อย {min_length} ตัวอักษร)",
    "string_too_long": "ยาวเกินไป (ไม่เกิน {max_length} ตัวอักษร)",
    "greater_than": "ต้องมากกว่า {gt}",
    "greater_than_equal": "ต้องไม่น้อยกว่า {ge}",
    "less_than": "ต้องน้อยกว่า {lt}",
    "less_than_equal": "ต้องไม่เกิน {le}",
    "date_parsing": "อ่านวันที่ไม่ได้ (ใช้รูปแบบ ปปปป-ดด-วว ค.ศ. เช่น 2026-03-15)",
    "date_from_datetime_parsing": "อ่านวันที่ไม่ได้ (ใช้รูปแบบ ปปปป-ดด-วว ค.ศ. เช่น 2026-03-15)",
    "datetime_parsing": "อ่านวันที่และเวลาไม่ได้ (ใช้รูปแบบ ISO 8601)",
    "enum": "ไม่มีในรายการค่าที่ใช้ได้ ({expected})",
    "literal_error": "ไม่มีในรายการค่าที่ใช้ได้ ({expected})",
    "json_invalid": "อ่านข้อมูล JSON ไม่ได้",
    "list_type": "ต้องเป็นรายการ",
    "dict_type": "ต้องเป็นออบเจ็กต์ JSON",
}
INVALID_VALUE = "ค่าไม่ถูกต้อง"


def thai_validation_message(error: dict) -> str:
    template = VALIDATION_MESSAGES.get(error.get("type", ""), INVALID_VALUE)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return VALIDATION_MESSAGES.get(error.get("type", ""), INVALID_VALUE).split(" (")[0]


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    errors = [
        {"type": e.get("type"), "loc": e.get("loc"), "msg": thai_validation_message(e)}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc):
    return api.create_response(request, {"detail": "กรุณาเข้าสู่ระบบก่อนใช้ API"}, status=401)
