"""The one way services put a task in the queue: after the current transaction commits.

Services name the task by its dotted path, so a services module never imports its tasks module
(tasks import the service they run inside the task function): no import cycle, and a task never
runs before the rows it reads exist. A process that dies between the commit and the enqueue
leaves its work in the database (an outbox message stays waiting, for `send_outbox`).
"""

import datetime
import logging
from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_path: str, *args, run_after: datetime.datetime | None = None) -> None:
    """Enqueue the task at `task_path` with `args` once the current transaction commits (at
    once outside a transaction). Arguments must be JSON-serializable (primary keys, strings).

    `run_after` defers the task (a retry after a back-off). A backend that cannot defer runs
    tasks at once (development's): the deferred task is left out rather than run early, and
    the work stays recorded in the database for the next request to do it.
    """
    transaction.on_commit(partial(_enqueue, task_path, args, run_after), robust=True)


def _enqueue(task_path: str, args: tuple, run_after: datetime.datetime | None) -> None:
    task = import_string(task_path)
    if run_after is not None:
        if not task.get_backend().supports_defer:
            logger.info("%s not deferred to %s: the backend cannot defer", task_path, run_after)
            return
        task = task.using(run_after=run_after)
    task.enqueue(*args)
