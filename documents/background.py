"""Documents rendered by the worker only: asking for a rendering, running it, retrying it.

Some documents take too long to render during a request (the proceedings' book: about 14 s for
150 pages). Their spec says so (`DocumentSpec.background`): requests serve the last rendering
and never start one; organizers ask for one (`request_render`) and the task backend's worker
runs it (`run_render`). A rendering that fails is tried again by the worker after a back-off,
up to `MAX_ATTEMPTS` times, and its state and last error stay on the document's row for the
admin to show.
"""

import datetime
import logging

from django.utils import timezone

from documents import pdf
from documents.models import RenderedDocument
from idm_seminar.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

State = RenderedDocument.State

# Back-off after the n-th failed attempt: FIRST_RETRY * 2**(n-1).
FIRST_RETRY = datetime.timedelta(minutes=2)
# After this many failed attempts the document stays failed until an organizer asks again.
MAX_ATTEMPTS = 5
# A queued or running rendering older than this is taken for lost (its worker died).
LOST_AFTER = datetime.timedelta(minutes=30)


def is_pending(document: RenderedDocument | None) -> bool:
    """Whether a rendering of the document is waiting or running (and not lost)."""
    return (
        document is not None
        and document.state in {State.QUEUED, State.RENDERING}
        and document.state_changed_at > timezone.now() - LOST_AFTER
    )


def request_render(spec: pdf.DocumentSpec, task_path: str, *args) -> bool:
    """Ask the worker for a new rendering of the document, unless one is already waiting or
    running. The task at `task_path` is enqueued with `args` once the caller's transaction
    commits, and is expected to call `run_render`. Returns whether a rendering was asked for."""
    if is_pending(spec.documents.defer("content").first()):
        return False
    pdf.mark_state(spec, State.QUEUED, attempts=0, retry_at=None)
    enqueue_on_commit(task_path, *args)
    return True


def retry_delay(attempts: int) -> datetime.timedelta:
    return FIRST_RETRY * 2 ** (attempts - 1)


def run_render(spec: pdf.DocumentSpec, task_path: str, *args) -> RenderedDocument | None:
    """The worker's part: render the document unless its stored rendering is current.

    On failure the error is kept on the row and, while attempts remain, the same task is
    enqueued again to run after the back-off; the exception is not raised again, since the
    retry is already arranged. Returns the current rendering, or None after a failure.
    """
    row = spec.documents.values("attempts").first()
    attempts = row["attempts"] if row else 0
    pdf.mark_state(spec, State.RENDERING, attempts=attempts)
    try:
        document = pdf.get_document(spec)
    except Exception as error:
        attempts += 1
        retry_at = timezone.now() + retry_delay(attempts) if attempts < MAX_ATTEMPTS else None
        logger.exception(
            "Rendering %s %s of event %s failed (attempt %s)",
            spec.kind,
            spec.key,
            spec.event.pk,
            attempts,
        )
        pdf.mark_state(
            spec, State.FAILED, error=repr(error)[:2000], attempts=attempts, retry_at=retry_at
        )
        if retry_at is not None:
            enqueue_on_commit(task_path, *args, run_after=retry_at)
        return None
    pdf.mark_state(spec, State.READY, attempts=0, retry_at=None)
    return document
