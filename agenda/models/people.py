"""Organizations and people: speakers, chairs, discussants, organizers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from agenda import content
from agenda.validators import validate_no_bidi_controls


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        IGO = "igo", _("Intergovernmental organization")
        NGO = "ngo", _("Non-governmental organization")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        ACADEMIA = "academia", _("Academia")
        PROFESSIONAL_BODY = "professional_body", _("Professional body")
        TRADE_UNION = "trade_union", _("Trade union")
        DIASPORA = "diaspora", _("Diaspora")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[validate_no_bidi_controls]
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(models.Model):
    honorific = models.CharField(
        _("honorific"),
        max_length=20,
        blank=True,
        help_text=_("As printed: Mr., Ms., Mrs., Dr."),
        validators=[validate_no_bidi_controls],
    )
    first_name = models.CharField(
        _("first names"), max_length=100, validators=[validate_no_bidi_controls]
    )
    last_name = models.CharField(
        _("last name"), max_length=100, validators=[validate_no_bidi_controls]
    )
    post_nominals = models.CharField(
        _("post-nominal letters"),
        max_length=30,
        blank=True,
        help_text=_("For example PhD or JD."),
        validators=[validate_no_bidi_controls],
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.CharField(
        _("position"),
        max_length=300,
        blank=True,
        help_text=_("Title or function, as printed."),
        validators=[validate_no_bidi_controls],
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    affiliation_note = models.CharField(
        _("affiliation as printed"),
        max_length=300,
        blank=True,
        help_text=_(
            "Only when the programme prints the affiliation differently from the organization's "
            "name, for example 'WHO Geneva'."
        ),
    )
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Private: never shown on the public site.")
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language we write to this person in: their speaker link e-mails, their page "
            "and their brief."
        ),
    )

    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="agenda_person_language_valid",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"{self.first_name} {self.last_name}")[:120]
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        """Honorific, name and post-nominal letters, as the programme prints them."""
        name = f"{self.honorific} {self.name}".strip()
        return f"{name} ({self.post_nominals})" if self.post_nominals else name

    @property
    def affiliation(self) -> content.Joined:
        """Position and organization in the active language (agenda.content.affiliation);
        pages that know the event use the `affiliation` tag, which prefers its language."""
        return content.affiliation(self)
