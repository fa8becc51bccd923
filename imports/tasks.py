"""Background work: validating and applying a batch. The bodies live in actions.py."""

from django_tasks import task


@task()
def validate_import(batch_id: int) -> None:
    from .actions import run_validation

    run_validation(batch_id=batch_id)


@task()
def apply_import(batch_id: int, acting_user_id: int | None) -> None:
    from .actions import run_apply

    run_apply(batch_id=batch_id, acting_user_id=acting_user_id)


@task()
def run_file_import(job_id: int) -> None:
    from .actions import run_file_import as run

    run(job_id=job_id)


@task()
def build_error_file(batch_id: int) -> None:
    from .actions import run_error_file

    run_error_file(batch_id=batch_id)


@task()
def build_list_export(export_id: int) -> None:
    from .actions import run_list_export

    run_list_export(export_id=export_id)
