"""Background work: writing a large SAR's PDF or DOCX. The body lives in actions.py."""

from django_tasks import task


@task()
def build_sar_export(export_id: int) -> None:
    from .actions import run_sar_export

    run_sar_export(export_id=export_id)
