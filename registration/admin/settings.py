"""The organizers' "Registration settings": one row per event (its registration's state and the
seats taken), and a page per event with the settings (dates, seats, approval), the participant
categories, the break-out groups with their seats and fill ("12 of 30"), and the counts of its
registrations by status, category, sector, country and country × category.

Registration managers work here and never need to change the Event (whose page only links here,
registration.admin.events); registration desks and programme editors have no permission on it,
so the page answers them 403 and the capacity stays as the managers set it.

Categories and break-out groups belong to the event, not to its settings row: their inlines are
made with the Event as their parent and edit the formsets of `obj.event`.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from agenda.admin_languages import stacked_inline, tabular_inline
from agenda.admin_time import EventTimeZoneAdminMixin
from agenda.models import Event
from registration.admin.participant_lists import ParticipantListAdminMixin
from registration.models import (
    BreakoutGroup,
    OptionalField,
    ParticipantCategory,
    Registration,
    RegistrationSettings,
)
from registration.models.settings import REMINDER_MAX_DAYS
from registration.services import lists, organizers, registering

STATES = {
    "open": pgettext_lazy("registration state", "open"),
    "not_yet": pgettext_lazy("registration state", "opens later"),
    "unscheduled": pgettext_lazy("registration state", "no opening date"),
    "closed": pgettext_lazy("registration state", "closed"),
}


def fill_text(taken: int, seats: int | None) -> str:
    """How full a limit is: "12 of 30", or "12 (no limit)" when there is none."""
    if seats is None:
        return gettext("%(taken)d (no limit)") % {"taken": taken}
    return gettext("%(taken)d of %(seats)d") % {"taken": taken, "seats": seats}


class EventChildInline:
    """An inline of a model that belongs to the event, shown on the event's settings page."""

    def __init__(self, parent_model, admin_site):
        super().__init__(Event, admin_site)


class ParticipantCategoryInline(EventChildInline, stacked_inline(ParticipantCategory)):
    model = ParticipantCategory
    extra = 0
    fields = [
        ("name", "order", "seats"),
        "description",
        ("approval", "nomination", "registers_delegations"),
        "asked_fields",
        "taken",
    ]
    readonly_fields = ["taken"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "asked_fields":
            return forms.TypedMultipleChoiceField(
                label=capfirst(db_field.verbose_name),
                choices=OptionalField.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
        return super().get_queryset(request).annotate(confirmed=Count("registrations", confirmed))

    @admin.display(description=_("seats taken"))
    def taken(self, category):
        if category.pk is None:
            return "–"
        return fill_text(getattr(category, "confirmed", 0), category.seats)


class BreakoutGroupInline(EventChildInline, tabular_inline(BreakoutGroup)):
    model = BreakoutGroup
    extra = 0
    fields = ["name", "order", "seats", "fill"]
    readonly_fields = ["fill"]

    def get_queryset(self, request):
        active = Q(registrations__status__in=Registration.ACTIVE_STATUSES)
        return super().get_queryset(request).annotate(chosen=Count("registrations", active))

    @admin.display(description=_("chosen by"))
    def fill(self, group):
        if group.pk is None:
            return "–"
        return fill_text(getattr(group, "chosen", 0), group.seats)


def _table(caption, header, rows) -> str:
    head = format_html_join("", "<th scope='col'>{}</th>", ((cell,) for cell in header))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
    )
    if not rows:
        body = format_html("<tr><td colspan='{}'>{}</td></tr>", len(header), _("none"))
    return format_html(
        '<table class="registration-counts"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        caption,
        head,
        body,
    )


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(
    ParticipantListAdminMixin, EventTimeZoneAdminMixin, admin.ModelAdmin
):
    list_display = ["event_title", "state", "seats_taken", "requires_approval", "counts_link"]
    list_select_related = ["event"]
    ordering = ["-event__start_date", "pk"]
    search_fields = ["event__title", "event__slug"]
    inlines = [ParticipantCategoryInline, BreakoutGroupInline]
    # "event" too: the settings row stays with its event, whatever a posted form says.
    readonly_fields = [
        "event",
        "event_link",
        "state",
        "seats_taken",
        "registration_counts",
        "participant_list",
    ]

    class Media:
        # The language tabs of the inlines' names (what TranslatedAdmin pages load).
        js = TabbedTranslationAdmin.Media.js
        css = TabbedTranslationAdmin.Media.css

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "reminder_days_before":
            # The form states the model's range (1 to REMINDER_MAX_DAYS), not "0 or more".
            kwargs.update(min_value=1, max_value=REMINDER_MAX_DAYS)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["event_link", "state", "seats_taken"]}),
            (
                _("Registration"),
                {
                    "fields": [
                        ("opens_at", "closes_at"),
                        "capacity",
                        "requires_approval",
                        "public_list_enabled",
                    ]
                },
            ),
            (
                _("Scheduled reminders"),
                {"fields": ["reminder_days_before", "speaker_reminder_enabled"]},
            ),
        ]
        if obj is not None:
            fieldsets.append((_("Counts"), {"fields": ["registration_counts"]}))
        if obj is not None and self.may_list_participants(request, obj):
            fieldsets.append((_("Lists of participants"), {"fields": ["participant_list"]}))
        return fieldsets

    def has_add_permission(self, request):
        # Every event has its settings row, made with the event (registration.signals).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # The inlines' parent is the event (EventChildInline), not its settings row.
        return {**super().get_formset_kwargs(request, obj, inline, prefix), "instance": obj.event}

    @admin.display(description=_("event"), ordering="event__start_date")
    def event_title(self, reg_settings):
        return str(reg_settings.event)

    @admin.display(description=_("event"))
    def event_link(self, reg_settings):
        url = reverse("admin:agenda_event_change", args=[reg_settings.event_id])
        return format_html('<a href="{}">{}</a>', url, reg_settings.event)

    @admin.display(description=_("registration"))
    def state(self, reg_settings):
        return STATES[reg_settings.state()]

    @admin.display(description=_("seats taken"))
    def seats_taken(self, reg_settings):
        return fill_text(registering.seats_taken(reg_settings.event_id), reg_settings.capacity)

    @admin.display(description=_("registrations"))
    def counts_link(self, reg_settings):
        url = reverse("admin:registration_registration_changelist")
        return format_html(
            '<a href="{}?event__id__exact={}">{}</a>',
            url,
            reg_settings.event_id,
            _("See the registrations"),
        )

    @admin.display(description=_("internal list"))
    def participant_list(self, reg_settings):
        return self.participant_list_link(reg_settings)

    @admin.display(description=_("counts"))
    def registration_counts(self, reg_settings):
        event = reg_settings.event
        counts = lists.registration_counts(event)
        number = _("registrations")
        tables = [
            _table(_("By status"), [_("status"), number], counts["status"]),
            _table(_("By category"), [_("category"), number], counts["category"]),
            _table(_("By sector"), [_("sector"), number], counts["sector"]),
            _table(_("By country"), [_("country"), number], counts["country"]),
            _table(
                _("By country and category"),
                [_("country"), _("category"), number],
                counts["country_category"],
            ),
            _table(
                _("Break-out groups"),
                [_("break-out group"), _("chosen by")],
                [(group, fill_text(n, group.seats)) for group, n in lists.group_fill(event)],
            ),
        ]
        return format_html_join("", "{}", ((table,) for table in tables))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A raised capacity (or a category's) gives the new seats to the waiting list at once.
        promoted = organizers.fill_free_seats(form.instance.event)
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d participant moved from the waiting list to a free seat.",
                    "%(count)d participants moved from the waiting list to free seats.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )
