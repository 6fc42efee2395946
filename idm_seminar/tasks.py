"""The one way services put a task in the queue: after the current transaction commits.

Services name the task by its dotted path, so a services module never imports its tasks module
(tasks import the service they run inside the task function): no import cycle, and a task never
runs before the rows it reads exist. A process that dies between the commit and the enqueue
leaves its work in the database (an outbox message stays waiting, for `send_outbox`).
"""

from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args) -> None:
    """Enqueue the task at `task_path` with `args` once the current transaction commits (at
    once outside a transaction). Arguments must be JSON-serializable (primary keys, strings)."""
    transaction.on_commit(partial(_enqueue, task_path, *args), robust=True)


def _enqueue(task_path: str, *args) -> None:
    import_string(task_path).enqueue(*args)
