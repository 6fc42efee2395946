"""The registration app's part of the admin's Event page: the event's registration settings and
break-out groups, the counts of its registrations, seats freed by a raised capacity given at
once, and the action that prepares a new seminar from an event.

Break-out groups' names are entered in every language once registered for translation, and then
counted in the event's missing translations (agenda.translation_report).

The Event admin is the agenda's, extended by the speakers app and here again (this app comes
after both in INSTALLED_APPS); the agenda app never imports this one.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agenda import translation_report
from agenda.admin_languages import tabular_inline
from agenda.models import Event
from registration.forms import PrepareSeminarForm
from registration.models import BreakoutGroup, RegistrationSettings, settings_for
from registration.services import lists, organizers, registering, seminars
from speakers.admin import EventAdmin as SpeakersEventAdmin


class RegistrationSettingsInline(admin.StackedInline):
    model = RegistrationSettings
    can_delete = False
    max_num = 1
    verbose_name_plural = _("registration")


class BreakoutGroupInline(tabular_inline(BreakoutGroup)):
    model = BreakoutGroup
    extra = 0


def _next_seminar_initial(source: Event) -> dict:
    """The form's suggestion: the same seminar a year later, at a free address."""
    try:
        start_date = source.start_date.replace(year=source.start_date.year + 1)
    except ValueError:  # 29 February, or the last year the calendar holds
        start_date = source.start_date
    slug = f"{source.slug[:74]}-{start_date.year}"
    return {"title": source.title, "slug": slug, "start_date": start_date}


class EventAdmin(SpeakersEventAdmin):
    """The agenda's Event admin (with the speakers' actions) with the event's registration
    settings and counts."""

    inlines = [*SpeakersEventAdmin.inlines, RegistrationSettingsInline, BreakoutGroupInline]
    readonly_fields = [*SpeakersEventAdmin.readonly_fields, "registration_counts"]
    # Here and not in agenda.admin: a new seminar takes the registration settings too, and the
    # agenda app never imports the registration app.
    actions = [*SpeakersEventAdmin.actions, "prepare_new_seminar"]

    @admin.action(description=_("Prepare a new seminar from this one…"), permissions=["add"])
    def prepare_new_seminar(self, request, queryset):
        events = list(queryset[:2])
        if len(events) != 1:
            self.message_user(
                request,
                _("Choose one event: a new seminar is prepared from one event at a time."),
                messages.ERROR,
            )
            return None
        source = events[0]
        if "apply" in request.POST:
            form = PrepareSeminarForm(request.POST)
            if form.is_valid():
                try:
                    event = seminars.prepare_event_copy(source, **form.cleaned_data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        _(
                            "“%(new)s” is prepared as a draft from “%(source)s”: check its "
                            "dates, agenda and registration settings, then publish it."
                        )
                        % {"new": event.title, "source": source.title},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:agenda_event_change", args=[event.pk])
                    )
        else:
            form = PrepareSeminarForm(initial=_next_seminar_initial(source))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Prepare a new seminar from “%(title)s”") % {"title": source.title},
            "opts": self.model._meta,
            "form": form,
            "source": source,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "registration/admin/prepare_new_seminar.html", context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f != "registration_counts"]},
            )
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None:
            fieldsets.append((_("Registrations"), {"fields": ["registration_counts"]}))
        return fieldsets

    @admin.display(description=_("registrations"))
    def registration_counts(self, event):
        counts = lists.registration_counts(event)
        taken = registering.seats_taken(event)
        capacity = settings_for(event).capacity
        tables = [
            format_html(
                "<p>{}</p>",
                _("%(taken)s of %(capacity)s seats taken.")
                % {"taken": taken, "capacity": capacity},
            )
        ]
        for key, title in (
            ("status", _("By status")),
            ("sector", _("By sector")),
            ("country", _("By country")),
        ):
            rows = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", counts[key])
            tables.append(
                format_html(
                    '<table class="registration-counts"><caption>{}</caption>'
                    "<tbody>{}</tbody></table>",
                    title,
                    rows or format_html("<tr><td>{}</td></tr>", _("none")),
                )
            )
        return format_html_join("", "{}", ((table,) for table in tables))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A raised capacity gives the new seats to the waiting list at once.
        promoted = organizers.fill_free_seats(form.instance)
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


@translation_report.register_source
def _breakout_group_names(events):
    """Break-out groups, edited on their event's page (none while their names are not
    registered for translation)."""
    if not translation_report.translated_fields(BreakoutGroup):
        return
    for group in BreakoutGroup.objects.filter(event_id__in=events):
        yield translation_report.Row(group.event_id, group, (Event, group.event_id))


if admin.site.is_registered(Event):
    admin.site.unregister(Event)
admin.site.register(Event, EventAdmin)
