"""Invalidate cached public pages when the publication changes.

The publication's page is public and the proceedings' book is checked against the content
version: every write to the publication, its parts or acronyms advances it once committed, as
agenda.signals does for the agenda's rows.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from idm_seminar.pagecache import bump_content_version


@receiver([post_save, post_delete])
def publication_changed(sender, **kwargs):
    meta = sender._meta
    if meta.app_label == "proceedings" and not meta.model_name.startswith("historical"):
        transaction.on_commit(bump_content_version)
