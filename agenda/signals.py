"""Invalidate cached public pages when agenda content changes; delete the file of deleted slides;
mark speaker links sent when the outbox has delivered their e-mail.

A signal is right here: invalidation must follow every write, from the admin, a service, a fixture
or the shell, and it carries no business rule.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from idm_seminar.pagecache import bump_content_version
from outbox.models import Message
from outbox.signals import delivery_attempted

# Rows the public pages never show: stored PDFs, speakers' private links and their slides.
# Writing them (a PDF rendered, a link opened) must not empty every visitor's page cache.
NOT_PUBLIC_CONTENT = {"rendereddocument", "speakerlink", "slidedeck"}


def is_public_content(model) -> bool:
    meta = model._meta
    return (
        meta.app_label == "agenda"
        and meta.model_name not in NOT_PUBLIC_CONTENT
        and not meta.model_name.startswith("historical")
    )


@receiver([post_save, post_delete, m2m_changed])
def agenda_content_changed(sender, **kwargs):
    if is_public_content(sender):
        transaction.on_commit(bump_content_version)


@receiver(post_delete, sender="agenda.SlideDeck")
def slides_file_deleted(sender, instance, **kwargs):
    # However the row goes (replaced, deleted in the admin, with its presentation), its private
    # file goes too, once the deletion is committed: no orphan files.
    if instance.file.name:
        transaction.on_commit(lambda: instance.file.storage.delete(instance.file.name), robust=True)


@receiver(delivery_attempted, sender=Message)
def speaker_link_mail_delivered(sender, *, messages, **kwargs):
    from agenda import services

    services.record_speaker_link_outcomes(messages)
