"""Background work: building a teacher's PA evidence pack ZIP. The body lives in actions.py."""

from django_tasks import task


@task()
def build_pack(export_id: int) -> None:
    from .actions import run_pack_export

    run_pack_export(export_id=export_id)
