"""Background work of the speakers app: issuing speakers their links.

Tasks take primary keys (their arguments are stored as JSON by the database backend) and call
the services that do the work, imported inside the task: services never import this module
(they enqueue by dotted path through idm_seminar.tasks.enqueue_on_commit). Tokens are created
inside the task, so no working link is ever written to the task queue.
"""

from django.tasks import task


@task
def send_speaker_link_task(event_id: int, person_id: int) -> None:
    from agenda.models import Event, Person
    from speakers import services

    event = Event.objects.select_related("organizer").get(pk=event_id)
    person = Person.objects.get(pk=person_id)
    services.deliver_speaker_link(person, event=event)
