"""Tell the proceedings and the public list of participants when the lists may have changed, and
record on each registration the outcome of its e-mails.

The proceedings PDF and the public list's PDF list consenting participants; they are stored and
served until their content changes. Any write to a registration (confirmed, cancelled, consent
given or withdrawn, erased), to a participant category (the lists' headings) or to the
registration settings (the public list published or withdrawn) advances the participant lists'
version once its transaction commits, so the next download checks the list again, while
downloads in between cost no query. A signal, because the version
must follow every write, from services, the admin or the shell, and carries no business rule.

Every event has its registration settings row (closed until organizers open it), made with the
event whoever creates it (the admin, a copy, the shell), so that the organizers' Registration
settings page lists every event. Rows loaded from a fixture get theirs once the whole fixture is
in (it may hold the event's settings itself).

The outbox imports no app: it tells whoever listens after each delivery attempt, and
registration.emails copies the outcome of the registration e-mails to their registrations.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agenda.models import Event
from idm_seminar.pagecache import bump_content_version
from outbox.models import Message
from outbox.signals import delivery_attempted
from registration.models import (
    PARTICIPANT_LISTS_SEQUENCE,
    ParticipantCategory,
    Registration,
    RegistrationSettings,
)


def _bump() -> None:
    bump_content_version(PARTICIPANT_LISTS_SEQUENCE)


@receiver([post_save, post_delete], sender=Registration)
@receiver([post_save, post_delete], sender=ParticipantCategory)
@receiver(post_save, sender=RegistrationSettings)
def participant_lists_changed(sender, **kwargs):
    # The lists also print the categories' names and order, and are published or withdrawn
    # with the settings (public_list_enabled): a PDF kept in memory must not outlive either.
    transaction.on_commit(_bump)


@receiver(post_save, sender=Event)
def event_created(sender, instance, created, raw=False, **kwargs):
    if not created:
        return
    if raw:
        event_id = instance.pk
        transaction.on_commit(lambda: RegistrationSettings.objects.get_or_create(event_id=event_id))
        return
    # By id: the event keeps no cached copy of a row that callers then change in the database.
    RegistrationSettings.objects.get_or_create(event_id=instance.pk)


@receiver(delivery_attempted, sender=Message)
def record_mail_outcomes(sender, *, messages, **kwargs):
    from registration import emails

    emails.record_mail_outcomes(messages)
