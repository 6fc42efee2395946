"""Invalidate cached public pages when agenda content changes.

A signal is right here: invalidation must follow every write, from the admin, a service, a fixture
or the shell, and it carries no business rule.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from idm_seminar.pagecache import bump_content_version


def is_public_content(model) -> bool:
    """The agenda's own rows, their history aside. Stored PDFs (documents) and speakers' links
    and slides (speakers) live in other apps: writing them (a PDF rendered, a link opened) must
    not empty every visitor's page cache."""
    meta = model._meta
    return meta.app_label == "agenda" and not meta.model_name.startswith("historical")


@receiver([post_save, post_delete, m2m_changed])
def agenda_content_changed(sender, **kwargs):
    if is_public_content(sender):
        transaction.on_commit(bump_content_version)
