"""``/healthz`` for load balancers and monitoring: 200 when this app server can use the
database, 503 when it cannot. No login, no session, nothing written."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .middleware import DB_ERRORS


def task_queue_depth() -> int | None:
    """Background tasks waiting for the worker (django-tasks-db); None with another backend."""
    from django.conf import settings

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        tasks = task_queue_depth()
    except DB_ERRORS as error:
        return JsonResponse({"database": "unavailable", "error": type(error).__name__}, status=503)
    return JsonResponse({"database": "ok", "tasks": tasks})
