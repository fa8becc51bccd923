"""The REST API: one NinjaAPI, each app adds its router. Session login, same scoping as pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
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
