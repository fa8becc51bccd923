"""Background work: sending notifications by email and LINE. The body lives in delivery.py."""

from django_tasks import task


@task()
def deliver_notifications(delivery_ids: list[int]) -> None:
    from .delivery import deliver

    deliver(delivery_ids)
