"""Tell the proceedings when the lists of participants may have changed.

The proceedings PDF lists consenting participants; it is stored and served until its content
changes. Any write to a registration (confirmed, cancelled, consent given or withdrawn, erased)
advances the participant lists' version once its transaction commits, so the next download
checks the list again, while downloads in between cost no query. A signal, because the version
must follow every write, from services, the admin or the shell, and carries no business rule.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from idm_seminar.pagecache import bump_content_version
from registration.models import PARTICIPANT_LISTS_SEQUENCE, Registration


def _bump() -> None:
    bump_content_version(PARTICIPANT_LISTS_SEQUENCE)


@receiver([post_save, post_delete], sender=Registration)
def participant_lists_changed(sender, **kwargs):
    transaction.on_commit(_bump)
