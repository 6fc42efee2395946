"""Delete the file of deleted slides; mark speaker links sent when the outbox has delivered their
e-mail.

A signal is right here: however the row goes (replaced, deleted in the admin, with its
presentation), its private file must go too, and it carries no business rule. The outbox imports
no app: it tells whoever listens after each delivery attempt.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from outbox.models import Message
from outbox.signals import delivery_attempted


@receiver(post_delete, sender="speakers.SlideDeck")
def slides_file_deleted(sender, instance, **kwargs):
    # However the row goes (replaced, deleted in the admin, with its presentation), its private
    # file goes too, once the deletion is committed: no orphan files.
    if instance.file.name:
        transaction.on_commit(lambda: instance.file.storage.delete(instance.file.name), robust=True)


@receiver(delivery_attempted, sender=Message)
def speaker_link_mail_delivered(sender, *, messages, **kwargs):
    from speakers import services

    services.record_speaker_link_outcomes(messages)
