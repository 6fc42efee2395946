"""The e-mails owed to a participant (RegistrationEmail): the registration's side of an outbox
message, which holds the text and the delivery state.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registration.models.registrations import Registration


class EmailKind(models.TextChoices):
    CONFIRM_ADDRESS = "confirm_address", _("Confirm your e-mail address")
    LINK = "link", _("Link to the registration")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SEAT_CONFIRMED = "seat_confirmed", _("Seat confirmed")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    PROMOTED = "promoted", _("Seat freed: promoted from the waiting list")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn from the delegation")


class RegistrationEmail(models.Model):
    """An e-mail owed to a participant: the registration's side of an outbox message, written in
    the transaction that made it necessary (registration.services.registering.queue_email). The
    message holds the text and the delivery state."""

    Kind = EmailKind

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="emails",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EmailKind)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    message = models.OneToOneField(
        "outbox.Message", verbose_name=_("message"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("registration e-mail")
        verbose_name_plural = _("registration e-mails")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EmailKind.values),
                name="registration_registrationemail_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.registration}"
