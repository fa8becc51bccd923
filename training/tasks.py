"""Background work: bulk certificate generation. The body lives in actions.py."""

from django_tasks import task


@task()
def generate_certificates(batch_id: int) -> None:
    from .actions import run_certificate_batch

    run_certificate_batch(batch_id=batch_id)
