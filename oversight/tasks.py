"""Background work: recomputing offices' summaries. The body lives in actions.py."""

from django_tasks import task


@task()
def refresh_summaries(refresh_id: int) -> None:
    from .actions import run_refresh

    run_refresh(refresh_id=refresh_id)
