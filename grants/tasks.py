"""Background tasks of the grants app (django-tasks); enqueued after the commit."""

from django_tasks import task


@task()
def send_submission_receipt(application_id: int) -> None:
    """Placeholder until the receipt email is written."""
