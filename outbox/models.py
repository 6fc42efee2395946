"""The outbox: every e-mail the site sends, as a row written with the change that caused it.

The outbox imports no app of the project: what caused a message is named by plain fields
(`topic`, `object_id`), and the apps that care about a delivery listen to
`outbox.signals.delivery_attempted`.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    # Room for the longest event title (300) after any subject's words.
    subject = models.CharField(_("subject"), max_length=1000)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Files sent with the message: filename, mimetype and text content."),
    )
    kind = models.CharField(_("kind"), max_length=60)
    topic = models.CharField(
        _("about"), max_length=60, blank=True, help_text=_("What caused it, as app.model.")
    )
    object_id = models.PositiveBigIntegerField(_("object number"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.WAITING)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Set while a sender holds the message outside any transaction; another sender skips it
    # until then, and takes it over if the first one died.
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "sent", "failed"]),
                name="outbox_message_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(recipient=""), name="outbox_message_recipient_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False)
                | (~Q(state="sent") & Q(sent_at__isnull=True)),
                name="outbox_message_sent_when_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(state="waiting") | Q(next_attempt_at__isnull=False),
                name="outbox_message_waiting_has_next_attempt",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(last_error=""),
                name="outbox_message_failed_has_error",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="waiting"),
                name="outbox_message_waiting",
            ),
            models.Index(fields=["topic", "object_id"], name="outbox_message_topic"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
