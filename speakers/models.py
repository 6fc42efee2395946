"""Speakers' private access to the site: the signed links that open their page, and their slides.

The tables keep the names they had in the agenda app (agenda_speakerlink, agenda_slidedeck), and
so do their constraints: the rows of a database created before the speakers app kept working.
"""

import secrets

from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agenda.models import Event, Person, Presentation


class SpeakerLink(models.Model):
    """A personal link that opens a speaker's page without a password.

    The link carries a signed token; only the SHA-256 hash of its random part is stored, so the
    table does not reveal working links. A person has at most one link in force per event:
    issuing a new one revokes the old.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speaker_links")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        db_table = "agenda_speakerlink"
        verbose_name = _("speaker link")
        verbose_name_plural = _("speaker links")
        ordering = ["event", "person", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(revoked_at__isnull=True),
                name="agenda_speakerlink_one_in_force",
                violation_error_message=_("This person already has a link in force."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="agenda_speakerlink_expires_after_issue",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.event}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


def slides_upload_to(instance: "SlideDeck", filename: str) -> str:
    # A random name: neither the uploader's file name (it may carry anything) nor anything that
    # could be guessed from the presentation.
    extension = "pdf" if instance.file_type == SlideDeck.FileType.PDF else "pptx"
    return f"slides/{secrets.token_hex(16)}.{extension}"


def private_storage():
    """The storage of files no URL serves (settings.STORAGES["private"])."""
    return storages["private"]


class SlideDeck(models.Model):
    """Slides a speaker uploaded for a presentation: one file per speaker and presentation (a new
    upload replaces it). The file is private: only its speakers' links and organizers get it."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        PPTX = "pptx", "PowerPoint (PPTX)"

    presentation = models.ForeignKey(
        Presentation,
        verbose_name=_("presentation"),
        on_delete=models.CASCADE,
        related_name="slides",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="slides"
    )
    file = models.FileField(_("file"), upload_to=slides_upload_to, storage=private_storage)
    file_type = models.CharField(_("type"), max_length=10, choices=FileType)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        db_table = "agenda_slidedeck"
        verbose_name = _("slides")
        verbose_name_plural = _("slides")
        ordering = ["presentation", "-uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "person"],
                name="agenda_slidedeck_one_per_speaker",
                violation_error_message=_("This speaker already has slides for the presentation."),
            ),
        ]

    def __str__(self):
        return f"{self.presentation} ({self.get_file_type_display()})"

    @property
    def download_name(self) -> str:
        """The name a download is saved under: the presentation's title, never a stored name."""
        return f"{slugify(self.presentation.title)[:60] or 'slides'}.{self.file_type}"
