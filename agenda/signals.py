"""Invalidate cached public pages when agenda content changes.

A signal is right here: invalidation must follow every write, from the admin, a service, a fixture
or the shell, and it carries no business rule.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from agenda.caching import bump_content_version


@receiver([post_save, post_delete, m2m_changed])
def agenda_content_changed(sender, **kwargs):
    if sender._meta.app_label == "agenda":
        transaction.on_commit(bump_content_version)
