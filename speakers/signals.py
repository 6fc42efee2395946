"""Delete the file of deleted slides.

A signal is right here: however the row goes (replaced, deleted in the admin, with its
presentation), its private file must go too, and it carries no business rule.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver


@receiver(post_delete, sender="speakers.SlideDeck")
def slides_file_deleted(sender, instance, **kwargs):
    # However the row goes (replaced, deleted in the admin, with its presentation), its private
    # file goes too, once the deletion is committed: no orphan files.
    if instance.file.name:
        transaction.on_commit(lambda: instance.file.storage.delete(instance.file.name), robust=True)
