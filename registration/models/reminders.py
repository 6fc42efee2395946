"""What the scheduled reminders sent, so that none is sent twice.

One SentReminder per reminder and recipient: a participant's (`registration`) or a speaker's
(`person`, per event). The unique constraints are the guarantee: the `send_reminders` command
(registration.services.reminders) skips who has one, and two runs at once cannot both write it.
Each row keeps the outbox message that carries the reminder, so it stays visible per recipient.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.models import Event, Person
from outbox.models import Message
from registration.models.registrations import Registration


class ReminderKind(models.TextChoices):
    PARTICIPANT = "participant", _("Participant reminder")
    SPEAKER = "speaker", _("Speaker reminder")


class SentReminder(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("reminder"), max_length=20, choices=ReminderKind)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders_received",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["event", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=ReminderKind.PARTICIPANT, registration__isnull=False, person=None)
                    | Q(kind=ReminderKind.SPEAKER, person__isnull=False, registration=None)
                ),
                name="registration_sentreminder_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["kind", "registration"],
                condition=Q(registration__isnull=False),
                name="registration_sentreminder_once_per_registration",
            ),
            models.UniqueConstraint(
                fields=["kind", "event", "person"],
                condition=Q(person__isnull=False),
                name="registration_sentreminder_once_per_speaker",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.registration or self.person}"
