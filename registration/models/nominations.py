"""Nomination documents: the Note Verbale of a Permanent Mission or the nomination letter of an
organization that a category asks for (ParticipantCategory.nomination), one per delegation or
per registration. PDFs judged by content (registration.nominations), kept in the private storage
under random names, handed out only to organizers allowed to see them.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registration.models.categories import NominationKind
from registration.models.delegations import Delegation
from registration.models.registrations import Registration
from speakers.models import private_storage


def nomination_upload_to(instance: "Nomination", filename: str) -> str:
    # A random name: never the uploader's (it may carry anything) nor anything guessable.
    return f"nominations/{secrets.token_hex(16)}.pdf"


class Nomination(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=NominationKind)
    delegation = models.OneToOneField(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        related_name="nomination",
        null=True,
        blank=True,
    )
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="nomination",
        null=True,
        blank=True,
    )
    file = models.FileField(_("file"), upload_to=nomination_upload_to, storage=private_storage)
    original_name = models.CharField(_("file name as uploaded"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("nomination document")
        verbose_name_plural = _("nomination documents")
        ordering = ["-uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delegation__isnull=True) ^ Q(registration__isnull=True),
                name="registration_nomination_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k for k in NominationKind.values if k]),
                name="registration_nomination_kind_valid",
            ),
        ]

    def __str__(self):
        owner = self.delegation or self.registration
        return f"{self.get_kind_display()} — {owner}"
