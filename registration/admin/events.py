"""The registration app's part of the admin's Event page: a link to the event's registration
settings (registration.admin.settings: settings, categories, break-out groups and counts) for
those allowed to see them, the check that moving the event keeps its registration dates valid,
and the action that prepares a new seminar from an event.

Break-out groups' names are entered in every language on the registration settings page, and
counted in the event's missing translations (agenda.translation_report) under their event.

The Event admin is the agenda's, extended by the speakers app and here again (this app comes
after both in INSTALLED_APPS); the agenda app never imports this one.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agenda import translation_report
from agenda.models import Event
from registration.forms import PrepareSeminarForm
from registration.models import BreakoutGroup, RegistrationSettings
from registration.services import seminars
from speakers.admin import EventAdmin as SpeakersEventAdmin


def _next_seminar_initial(source: Event) -> dict:
    """The form's suggestion: the same seminar a year later, at a free address."""
    try:
        start_date = source.start_date.replace(year=source.start_date.year + 1)
    except ValueError:  # 29 February, or the last year the calendar holds
        start_date = source.start_date
    slug = f"{source.slug[:74]}-{start_date.year}"
    return {"title": source.title, "slug": slug, "start_date": start_date}


class EventForm(forms.ModelForm):
    """The Event admin's form: moving the event's dates must leave its registration's dates
    valid (no closing after the event ends), which the registration settings page checks too."""

    def clean(self):
        cleaned_data = super().clean()
        reg_settings = RegistrationSettings.objects.filter(event_id=self.instance.pk).first()
        if reg_settings is None or self.errors:
            return cleaned_data
        moved = copy.copy(self.instance)
        for name in ("start_date", "end_date", "time_zone"):
            if name in cleaned_data:
                setattr(moved, name, cleaned_data[name])
        reg_settings.event = moved
        try:
            reg_settings.clean()
        except ValidationError as error:
            for errors in error.error_dict.values():
                for each in errors:
                    self.add_error(
                        "end_date",
                        ValidationError(
                            _(
                                "The registration settings do not fit these dates: "
                                "%(problem)s Change them first (Registration settings)."
                            ),
                            code=each.code,
                            params={"problem": " ".join(each.messages)},
                        ),
                    )
        return cleaned_data


class EventAdmin(SpeakersEventAdmin):
    """The agenda's Event admin (with the speakers' actions) with a link to the event's
    registration settings and counts, for those who may see them; programme editors see no
    registration part at all."""

    readonly_fields = [*SpeakersEventAdmin.readonly_fields, "registration_link"]
    # Here and not in agenda.admin: a new seminar takes the registration settings too, and the
    # agenda app never imports the registration app.
    actions = [*SpeakersEventAdmin.actions, "prepare_new_seminar"]

    form = EventForm

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
                {**options, "fields": [f for f in options["fields"] if f != "registration_link"]},
            )
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None and request.user.has_perm("registration.view_registrationsettings"):
            fieldsets.append((_("Registration"), {"fields": ["registration_link"]}))
        return fieldsets

    @admin.display(description=_("registration settings"))
    def registration_link(self, event):
        reg_settings = RegistrationSettings.objects.filter(event=event).first()
        if reg_settings is None:
            return "—"
        url = reverse("admin:registration_registrationsettings_change", args=[reg_settings.pk])
        return format_html(
            '<a href="{}">{}</a>',
            url,
            _("Registration settings, participant categories, break-out groups and counts"),
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
