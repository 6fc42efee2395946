"""Background work of the proceedings: rendering the book.

Tasks take primary keys (their arguments are stored as JSON by the database backend) and call
the services that do the work.
"""

from django.tasks import task

from agenda.models import Event
from proceedings import services


@task
def render_proceedings_task(event_id: int) -> None:
    event = Event.objects.get(pk=event_id)
    services.run_proceedings_render(event)
