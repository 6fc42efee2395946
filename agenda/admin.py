"""The organizers' admin: events, their agenda, sessions, people and papers, with history.

Every text organizers write is entered in English, French and Spanish on the same form, one tab
per language (agenda.admin_languages); the Event admin lists the texts still missing one.
"""

from django.contrib import admin
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agenda import formatting, models
from agenda.admin_languages import (
    TranslatedAdmin,
    TranslationReportAdminMixin,
    stacked_inline,
    tabular_inline,
)
from agenda.admin_time import EventTimeZoneAdminMixin
from idm_seminar.admin import AutocompleteFieldsMixin

admin.site.site_header = _("IDM seminars – organizers")
admin.site.site_title = _("IDM seminars")
admin.site.index_title = _("Events, agenda and registrations")


class EventPartnerInline(AutocompleteFieldsMixin, admin.TabularInline):
    model = models.EventPartner
    extra = 0
    autocomplete_fields = ["organization"]


class RoomInline(tabular_inline(models.Room)):
    model = models.Room
    extra = 0


class SessionInline(tabular_inline(models.Session)):
    model = models.Session
    extra = 0
    fields = ["number", "title", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    show_change_link = True


class PracticalInformationInline(stacked_inline(models.PracticalInformation)):
    model = models.PracticalInformation
    can_delete = False
    extra = 0
    max_num = 1


@admin.register(models.Event)
class EventAdmin(
    TranslationReportAdminMixin,
    EventTimeZoneAdminMixin,
    AutocompleteFieldsMixin,
    SimpleHistoryAdmin,
    TranslatedAdmin,
):
    event_field = ""
    list_display = ["title", "series_number", "dates", "city", "status", "translations"]
    # The English column: "city" would filter on the admin's language's, empty where the French
    # or Spanish name is not written yet, while the filter offers the English one.
    list_filter = ["status", "city_en"]
    search_fields = ["title", "slug", "city", "venue"]
    date_hierarchy = "start_date"
    # From the English title: an event's addresses are the same in every language.
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["organizer"]
    inlines = [EventPartnerInline, RoomInline, SessionInline, PracticalInformationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "series_number", "series_theme", "status"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "time_zone",
                    "venue",
                    "venue_short_name",
                    "city",
                    "country",
                ]
            },
        ),
        (
            _("Content"),
            {
                "fields": [
                    "original_language",
                    "organizer",
                    "introduction",
                    "overview",
                    "objectives",
                    "agenda_introduction",
                ]
            },
        ),
    ]

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, event):
        return formatting.date_range(event.start_date, event.end_date)


class BackgroundPaperInline(stacked_inline(models.BackgroundPaper)):
    model = models.BackgroundPaper
    extra = 0
    show_change_link = True


class SessionItemFormSet(BaseInlineFormSet):
    """Items added from a session belong to the session's event, before they are validated."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.event_id:
            form.instance.event = self.instance.event
        return form


class SessionItemInline(tabular_inline(models.AgendaItem)):
    model = models.AgendaItem
    formset = SessionItemFormSet
    fk_name = "session"
    extra = 0
    fields = ["date", "start_time", "end_time", "kind", "title", "room"]
    show_change_link = True
    verbose_name = _("agenda item of this session")
    verbose_name_plural = _("agenda items of this session")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "room")


@admin.register(models.Session)
class SessionAdmin(SimpleHistoryAdmin, TranslatedAdmin):
    list_display = ["__str__", "event", "item_count"]
    list_filter = ["event"]
    search_fields = ["title", "theme"]
    list_select_related = ["event"]
    inlines = [SessionItemInline, BackgroundPaperInline]
    readonly_fields = ["presentations_and_people"]
    fields = ["event", "number", "slug", "title", "theme", "presentations_and_people"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_item_count=Count("items"))

    @admin.display(description=_("agenda items"), ordering="_item_count")
    def item_count(self, session):
        return session._item_count

    @admin.display(description=_("presentations and people"))
    def presentations_and_people(self, session):
        presentations = (
            models.Presentation.objects.filter(item__session=session)
            .select_related("item")
            .prefetch_related("speaker_links__person")
        )
        rows = [
            (
                reverse("admin:agenda_presentation_change", args=[p.pk]),
                p.title,
                ", ".join(link.person.full_name for link in p.speaker_links.all()) or "—",
            )
            for p in presentations
        ]
        if not rows:
            return _("No presentations yet: add them from the session's agenda items.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a> – {}</li>', rows),
        )


class KeyQuestionInline(tabular_inline(models.KeyQuestion)):
    model = models.KeyQuestion
    extra = 1


@admin.register(models.BackgroundPaper)
class BackgroundPaperAdmin(SimpleHistoryAdmin, TranslatedAdmin):
    list_display = ["title", "session"]
    list_filter = ["session__event"]
    search_fields = ["title", "body"]
    inlines = [KeyQuestionInline]

    def view_on_site(self, paper):
        return paper.session.get_absolute_url()


class PresentationInline(tabular_inline(models.Presentation)):
    model = models.Presentation
    extra = 0
    fields = ["order", "title"]
    show_change_link = True


class AgendaItemRoleInline(AutocompleteFieldsMixin, admin.TabularInline):
    model = models.AgendaItemRole
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(models.AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin, TranslatedAdmin):
    list_display = [
        "date",
        "start_time",
        "end_time",
        "title",
        "kind",
        "session",
        "room",
        "is_published",
    ]
    list_display_links = ["title"]
    list_filter = ["event", "date", "kind", "session", "is_published"]
    search_fields = ["title", "description", "presentations__title"]
    list_select_related = ["session__event", "room", "event"]
    ordering = ["event", "date", "start_time", "order", "pk"]
    date_hierarchy = "date"
    inlines = [PresentationInline, AgendaItemRoleInline]
    fields = [
        "event",
        "session",
        "date",
        ("start_time", "end_time"),
        "kind",
        "title",
        "description",
        "room",
        "is_parallel",
        "order",
        "is_published",
    ]


class PresentationSpeakerInline(
    AutocompleteFieldsMixin, tabular_inline(models.PresentationSpeaker)
):
    model = models.PresentationSpeaker
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(models.Presentation)
class PresentationAdmin(
    EventTimeZoneAdminMixin,
    AutocompleteFieldsMixin,
    SimpleHistoryAdmin,
    TranslatedAdmin,
):
    event_field = "item__event"
    list_display = ["title", "item", "speaker_names"]
    list_filter = ["item__event", "item__session"]
    search_fields = ["title", "abstract", "speakers__last_name", "speakers__first_name"]
    list_select_related = ["item"]
    autocomplete_fields = ["item"]
    inlines = [PresentationSpeakerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speaker_links__person")

    @admin.display(description=_("speakers"))
    def speaker_names(self, presentation):
        return ", ".join(link.person.name for link in presentation.speaker_links.all())


@admin.register(models.Organization)
class OrganizationAdmin(SimpleHistoryAdmin, TranslatedAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]


@admin.register(models.Person)
class PersonAdmin(AutocompleteFieldsMixin, SimpleHistoryAdmin, TranslatedAdmin):
    list_display = ["last_name", "first_name", "honorific", "position", "organization"]
    list_filter = ["organization__kind"]
    search_fields = [
        "first_name",
        "last_name",
        "position",
        "organization__name",
        "organization__acronym",
        "affiliation_note",
    ]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    fields = [
        ("honorific", "first_name", "last_name", "post_nominals"),
        "slug",
        "position",
        "organization",
        "affiliation_note",
        "country",
        "bio",
        "photo",
        "email",
        "language",
    ]

    def view_on_site(self, person):
        link = (
            models.PresentationSpeaker.objects.filter(person=person)
            .select_related("presentation__item__event")
            .first()
        )
        role = (
            models.AgendaItemRole.objects.filter(person=person)
            .select_related("item__event")
            .first()
        )
        event = link.presentation.item.event if link else role.item.event if role else None
        if event is None:
            return None
        return reverse("agenda:person-detail", kwargs={"event": event.slug, "person": person.slug})


@admin.register(models.Document)
class DocumentAdmin(SimpleHistoryAdmin, TranslatedAdmin):
    list_display = ["title", "event", "kind", "session", "order"]
    list_filter = ["event", "kind"]
    search_fields = ["title", "description"]

    def view_on_site(self, document):
        return reverse("agenda:document-list", kwargs={"event": document.event.slug})
