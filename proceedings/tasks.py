"""Background work of the proceedings: rendering the book.

Tasks take primary keys (their arguments are stored as JSON by the database backend) and call
the services that do the work, imported inside the task: services enqueue by dotted path through
idm_seminar.tasks.enqueue_on_commit.
"""

from django.tasks import task


@task
def render_proceedings_task(event_id: int, language: str = "en") -> None:
    """Render the event's book in `language` (tasks queued before books had languages were
    English ones)."""
    from agenda.models import Event
    from proceedings import services

    event = Event.objects.get(pk=event_id)
    services.run_proceedings_render(event, language=language)
