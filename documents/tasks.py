"""Background work of the documents: rendering the proceedings.

Tasks take primary keys (their arguments are stored as JSON by the database backend) and call
the services that do the work.
"""

from django.tasks import task

from agenda.models import Event
from documents import services


@task
def render_proceedings_task(event_id: int) -> None:
    event = Event.objects.get(pk=event_id)
    services.run_proceedings_render(event)
