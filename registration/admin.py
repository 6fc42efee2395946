"""Organizers' view of registrations: the list with its actions, and the event's registration
settings, break-out groups and counts on the Event page."""

import csv
import datetime
import io

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from agenda.admin_time import EventTimeZoneAdminMixin
from agenda.models import Event
from registration import services
from registration.forms import PrepareSeminarForm, RejectionForm
from registration.models import BreakoutGroup, Registration, RegistrationEmail, RegistrationSettings
from speakers.admin import EventAdmin as SpeakersEventAdmin

Status = Registration.Status


class RegistrationSettingsInline(admin.StackedInline):
    model = RegistrationSettings
    can_delete = False
    max_num = 1
    verbose_name_plural = _("registration")


class BreakoutGroupInline(admin.TabularInline):
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
                    event = services.prepare_event_copy(source, **form.cleaned_data)
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
        counts = services.registration_counts(event)
        taken = services.seats_taken(event)
        capacity = services.settings_for(event).capacity
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
        promoted = services.fill_free_seats(form.instance)
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


if admin.site.is_registered(Event):
    admin.site.unregister(Event)
admin.site.register(Event, EventAdmin)


class MailStateFilter(admin.SimpleListFilter):
    title = _("e-mail delivery")
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return [("failed", _("Last e-mail failed")), ("unsent", _("E-mail owed"))]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.exclude(last_mail_error="")
        if self.value() == "unsent":
            return queryset.filter(emails__message__sent_at__isnull=True).distinct()
        return queryset


class RegistrationEmailInline(admin.TabularInline):
    model = RegistrationEmail
    extra = 0
    can_delete = False
    fields = ["kind", "created_at", "state", "sent_at", "attempts", "last_error"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("message")

    @admin.display(description=_("state"))
    def state(self, email):
        url = reverse("admin:outbox_message_change", args=[email.message_id])
        return format_html('<a href="{}">{}</a>', url, email.message.get_state_display())

    @admin.display(description=_("sent"))
    def sent_at(self, email):
        # Formatted here: the admin prints a method's datetime as it is, in UTC.
        return display_for_value(email.message.sent_at, "—")

    @admin.display(description=_("attempts"))
    def attempts(self, email):
        return email.message.attempts

    @admin.display(description=_("last error"))
    def last_error(self, email):
        return email.message.last_error

    def has_add_permission(self, request, obj=None):
        return False


EXPORT_FIELDS = [
    ("pk", _("number")),
    ("status", _("status")),
    ("honorific", _("honorific")),
    ("first_name", _("first names")),
    ("last_name", _("last name")),
    ("position", _("position")),
    ("organization", _("organization")),
    ("sector", _("sector")),
    ("country", _("country")),
    ("email", _("e-mail")),
    ("phone", _("phone")),
    ("days", _("days attending")),
    ("breakout_group", _("break-out group")),
    ("dietary_needs", _("dietary needs")),
    ("accessibility_needs", _("accessibility needs")),
    ("consent_public_list", _("public list")),
    ("consent_proceedings_list", _("proceedings list")),
    ("created_at", _("registered")),
    ("email_confirmed_at", _("e-mail confirmed")),
    ("confirmed_at", _("seat confirmed")),
    ("queued_at", _("asked for a seat")),
]

# Spreadsheets run a cell that starts like a formula; exported text must never do that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _export_value(registration: Registration, field: str):
    if field == "status":
        return registration.get_status_display()
    if field == "sector":
        return registration.get_sector_display()
    if field == "country":
        return str(registration.country.name)
    if field == "days":
        return ", ".join(day.isoformat() for day in registration.days)
    if field == "breakout_group":
        return str(registration.breakout_group or "")
    value = getattr(registration, field)
    if hasattr(value, "tzinfo") and value is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else value


def export_rows(queryset):
    yield [str(label) for _field, label in EXPORT_FIELDS]
    for registration in queryset.select_related("breakout_group"):
        row = []
        for field, _label in EXPORT_FIELDS:
            value = _export_value(registration, field)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                value = "'" + value
            row.append(str(value) if not isinstance(value, (int, datetime.datetime)) else value)
        yield row


@admin.register(Registration)
class RegistrationAdmin(EventTimeZoneAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "organization",
        "sector",
        "country",
        "status",
        "created_at",
        "email_confirmed_at",
        "confirmed_at",
        "mail_state",
    ]
    list_filter = ["event", "status", "sector", "country", MailStateFilter, "created_at"]
    search_fields = ["first_name", "last_name", "email", "organization", "position"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "pk"]
    inlines = [RegistrationEmailInline]
    actions = [
        "approve",
        "reject",
        "move_from_waiting_list",
        "resend_confirmation",
        "export_csv",
        "export_excel",
        "erase",
    ]
    readonly_fields = [
        "event",
        "status",
        "email",
        "created_at",
        "email_confirmed_at",
        "queued_at",
        "approved_at",
        "confirmed_at",
        "cancelled_at",
        "rejected_at",
        "rejection_reason",
        "erased_at",
        "confirmation_sent_at",
        "last_mail_error",
        "waiting_position",
    ]
    fieldsets = [
        (None, {"fields": ["event", "status", "waiting_position", "rejection_reason"]}),
        (
            _("Participant"),
            {
                "fields": [
                    "honorific",
                    ("first_name", "last_name"),
                    "position",
                    "organization",
                    "sector",
                    "country",
                    "email",
                    "phone",
                ]
            },
        ),
        (
            _("Attendance"),
            {"fields": ["days", "breakout_group", "dietary_needs", "accessibility_needs"]},
        ),
        (
            _("Consents"),
            {"fields": ["consent_privacy", "consent_public_list", "consent_proceedings_list"]},
        ),
        (
            _("History"),
            {
                "fields": [
                    "created_at",
                    "email_confirmed_at",
                    "queued_at",
                    "approved_at",
                    "confirmed_at",
                    "cancelled_at",
                    "rejected_at",
                    "erased_at",
                    "confirmation_sent_at",
                    "last_mail_error",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        # Registrations come through the public form, which confirms the address.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would lose the counts: organizers erase personal data instead.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "breakout_group":
            object_id = request.resolver_match.kwargs.get("object_id")
            event_id = Registration.objects.filter(pk=object_id).values("event_id")[:1]
            kwargs["queryset"] = BreakoutGroup.objects.filter(event_id__in=event_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("e-mail"))
    def mail_state(self, registration):
        if registration.last_mail_error:
            return format_html(
                '<span title="{}">⚠ {}</span>', registration.last_mail_error, _("failed")
            )
        if registration.confirmation_sent_at:
            return _("sent")
        return "—"

    @admin.display(description=_("place on the waiting list"))
    def waiting_position(self, registration):
        return registration.waiting_position or "—"

    def _report(self, request, done: int, skipped: list[str], message: str) -> None:
        if done:
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _("Not changed: %(list)s") % {"list": "; ".join(skipped[:20])},
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request, queryset):
        done, skipped = 0, []
        for registration in queryset:
            try:
                services.approve_registration(registration)
                done += 1
            except services.RegistrationStateError as error:
                skipped.append(f"{registration}: {error}")
        self._report(request, done, skipped, _("%(count)d registrations approved."))

    @admin.action(description=_("Reject the selected registrations (with a reason)…"))
    def reject(self, request, queryset):
        if "apply" in request.POST:
            form = RejectionForm(request.POST)
            if form.is_valid():
                done, skipped = 0, []
                for registration in queryset:
                    try:
                        services.reject_registration(
                            registration, reason=form.cleaned_data["reason"]
                        )
                        done += 1
                    except services.RegistrationStateError as error:
                        skipped.append(f"{registration}: {error}")
                self._report(request, done, skipped, _("%(count)d registrations rejected."))
                return None
        else:
            form = RejectionForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject registrations"),
            "opts": self.model._meta,
            "form": form,
            "registrations": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "registration/admin/reject_registrations.html", context)

    @admin.action(description=_("Move the selected from the waiting list to a seat"))
    def move_from_waiting_list(self, request, queryset):
        done, skipped = 0, []
        for registration in queryset.order_by("queued_at", "pk"):
            try:
                services.give_seat(registration, add_seat_if_full=True)
                done += 1
            except services.RegistrationStateError as error:
                skipped.append(f"{registration}: {error}")
        self._report(
            request,
            done,
            skipped,
            _("%(count)d participants given a seat (the capacity was raised where it was full)."),
        )

    @admin.action(description=_("Re-send the confirmation e-mail"))
    def resend_confirmation(self, request, queryset):
        queued = sum(services.resend_confirmation(registration) for registration in queryset)
        failed = queryset.exclude(last_mail_error="").count()
        self.message_user(request, _("%(count)d e-mails sent again.") % {"count": queued})
        if failed:
            self.message_user(
                request,
                _("%(count)d registrations still have an e-mail that could not be sent.")
                % {"count": failed},
                messages.WARNING,
            )

    @admin.action(description=_("Export the selected as CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="registrations.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response)
        for row in export_rows(queryset):
            writer.writerow(row)
        return response

    @admin.action(description=_("Export the selected as Excel"))
    def export_excel(self, request, queryset):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(_("Registrations"))
        for row in export_rows(queryset):
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="registrations.xlsx"'
        return response

    @admin.action(description=_("Erase the personal data of the selected (on request)"))
    def erase(self, request, queryset):
        erased = 0
        for registration in queryset.filter(erased_at__isnull=True):
            services.erase_registration(registration)
            erased += 1
        self.message_user(
            request, _("%(count)d registrations erased; their counts remain.") % {"count": erased}
        )
