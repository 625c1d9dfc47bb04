"""Background tasks of the seals app (django-tasks, database backend; run by `onestop worker`)."""
from django_tasks import task

from onestop.seals import batch


@task()
def run_batch_task(batch_id: int) -> str:
    """Seal a batch's pending items (批量签章); resumable, see onestop.seals.batch."""
    return batch.run_batch(batch_id)
