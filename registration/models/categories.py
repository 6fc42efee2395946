"""Who takes part, as organizers sort them: the participant categories of an event (Member State
delegation, intergovernmental organization, NGO, ...), each with its own seats within the event's
capacity, its approval rule, the nomination document it must upload, the optional fields it asks
and whether it registers as delegations through a focal point.

A category's seats are held, like the event's, by CONFIRMED registrations only, and counted
under the event's seat lock (registration.services.registering).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.models import Event


class ApprovalRule(models.TextChoices):
    EVENT = "event", _("As the event's registration settings say")
    ALWAYS = "always", _("Organizers approve each registration")
    NEVER = "never", _("No approval: a confirmed address takes a seat")


class NominationKind(models.TextChoices):
    NONE = "", _("No document")
    NOTE_VERBALE = "note_verbale", _("Note Verbale from the Permanent Mission")
    NOMINATION_LETTER = "nomination_letter", _("Nomination letter")


class OptionalField(models.TextChoices):
    """The registration form's fields a category may ask or leave out; names, organization,
    country, address, days and consents are always asked."""

    POSITION = "position", _("Position")
    SECTOR = "sector", _("Sector")
    PHONE = "phone", _("Phone")
    BREAKOUT_GROUP = "breakout_group", _("Break-out group")
    DIETARY_NEEDS = "dietary_needs", _("Dietary needs")
    ACCESSIBILITY_NEEDS = "accessibility_needs", _("Accessibility needs")


def every_optional_field() -> list[str]:
    return list(OptionalField.values)


class ParticipantCategory(models.Model):
    """A kind of participant of one event, with its own seats, approval and documents."""

    Approval = ApprovalRule
    Nomination = NominationKind

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="participant_categories",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(
        _("who registers here"),
        max_length=500,
        blank=True,
        help_text=_("Shown under the name where participants choose their category."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_(
            "Confirmed registrations of this category never exceed this number (within the "
            "event's seats); leave empty for no limit of its own."
        ),
    )
    approval = models.CharField(
        _("approval"), max_length=10, choices=ApprovalRule, default=ApprovalRule.EVENT
    )
    nomination = models.CharField(
        _("nomination document"),
        max_length=30,
        choices=NominationKind,
        blank=True,
        help_text=_("A PDF every registration (or delegation) of this category must upload."),
    )
    registers_delegations = models.BooleanField(
        _("registers as delegations"),
        default=False,
        help_text=_(
            "A focal point (a Permanent Mission's officer, an organization's contact) registers "
            "the head of delegation and its members together, with one nomination document."
        ),
    )
    asked_fields = ArrayField(
        models.CharField(max_length=30, choices=OptionalField),
        verbose_name=_("optional fields asked"),
        default=every_optional_field,
        blank=True,
        size=len(OptionalField.values),
    )

    class Meta:
        verbose_name = _("participant category")
        verbose_name_plural = _("participant categories")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="registration_participantcategory_unique_name",
                violation_error_message=_("The event already has a category of this name."),
            ),
            models.CheckConstraint(
                condition=Q(approval__in=ApprovalRule.values),
                name="registration_participantcategory_approval_valid",
            ),
            models.CheckConstraint(
                condition=Q(nomination__in=NominationKind.values),
                name="registration_participantcategory_nomination_valid",
            ),
            models.CheckConstraint(
                condition=Q(asked_fields__contained_by=OptionalField.values),
                name="registration_participantcategory_asked_fields_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def asks(self, field: str) -> bool:
        return field in self.asked_fields

    def requires_approval(self, *, event_default: bool) -> bool:
        if self.approval == ApprovalRule.EVENT:
            return event_default
        return self.approval == ApprovalRule.ALWAYS
