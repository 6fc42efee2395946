"""Delegations: the head of delegation and members a focal point (a Permanent Mission's officer,
an organization's contact) registers together for an event, with one nomination document.

Each member is a Registration of the delegation's category (Registration.delegation), who
confirms their own address and manages their own details. The focal point reaches the
delegation through a signed link (access_key, as a participant reaches a registration) and adds,
replaces or withdraws members until registration closes. Organizers approve the delegation at
once (approved_at: members who confirm later need no approval) or member by member.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from agenda.models import Event
from agenda.validators import validate_no_bidi_controls
from registration.models.categories import ParticipantCategory


class Delegation(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="delegations"
    )
    category = models.ForeignKey(
        ParticipantCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    country = CountryField(_("country"), help_text=_("The State, or the organization's seat."))
    organization = models.CharField(
        _("Permanent Mission or organization"),
        max_length=200,
        validators=[validate_no_bidi_controls],
    )
    access_key = models.UUIDField(
        _("access key"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Signed into the focal point's link; replaced when the data are erased."),
    )

    focal_point_name = models.CharField(
        _("focal point"), max_length=200, validators=[validate_no_bidi_controls]
    )
    focal_point_position = models.CharField(
        _("focal point's position"),
        max_length=200,
        blank=True,
        validators=[validate_no_bidi_controls],
    )
    focal_point_email = models.EmailField(_("focal point's e-mail"), max_length=254)
    focal_point_phone = models.CharField(_("focal point's phone"), max_length=32, blank=True)
    # The focal point's e-mails and pages are written in it.
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )

    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["event", "country", "organization", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="registration_delegation_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False)
                | (~Q(organization="") & ~Q(focal_point_name="") & ~Q(focal_point_email="")),
                name="registration_delegation_identity_present",
            ),
            models.CheckConstraint(
                condition=Q(focal_point_phone="")
                | Q(focal_point_phone__regex=r"^\+[1-9][0-9]{4,14}(;ext=[0-9]{1,10})?$"),
                name="registration_delegation_phone_e164",
            ),
        ]

    def __str__(self):
        if self.erased_at:
            return str(_("Erased delegation #%(pk)s") % {"pk": self.pk})
        return f"{self.organization} ({self.country.name})"

    def get_absolute_url(self):
        return reverse(
            "registration:delegation", kwargs={"event": self.event.slug, "token": self.token}
        )

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.erased_at is None

    @property
    def token(self) -> str:
        from registration.links import make_delegation_token

        return make_delegation_token(self)
