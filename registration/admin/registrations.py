"""The organizers' list of registrations: filters, the e-mails owed to each registration, and the
actions (approve, reject with a reason, give a seat, send again, send the certificates of
attendance, export, erase).

Every action goes through registration.services, so the admin keeps the same rules as the
participant's pages. Each action asks its permission (organizers.roles): approving, rejecting
and moving from the waiting list `approve_registration` (and raising the capacity to give a seat
when every seat is taken, `change_registrationsettings` too), sending again
`change_registration`, exporting `export_registration`, erasing `erase_registration`, checking
in `check_in_registration`. An action
a user may not run is not offered, and posting it anyway runs nothing (the admin answers "No
action selected"). Without `change_registration` (the registration desk) the page is read-only.

Registrations are never added or deleted here: they come through the public form, which confirms
the address, and are erased rather than deleted, keeping the counts.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agenda.admin_time import EventTimeZoneAdminMixin
from registration.admin import exports, participant_lists
from registration.admin.files import private_pdf_response
from registration.admin.mailings import MailingRecipientInline
from registration.admin.questions import AnswerInline
from registration.admin.reminders import SentReminderInline
from registration.forms import RejectionForm
from registration.models import BreakoutGroup, Nomination, Registration, RegistrationEmail
from registration.services import certificates, organizers, privacy, registering


def _nomination_label(nomination: Nomination) -> str:
    return f"{nomination.get_kind_display()} ({nomination.original_name or 'PDF'})"


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
        "checked_in_at",
        "mail_state",
    ]
    list_filter = [
        "event",
        "status",
        "category",
        "sector",
        "country",
        ("checked_in_at", admin.EmptyFieldListFilter),
        MailStateFilter,
        "created_at",
    ]
    search_fields = ["first_name", "last_name", "email", "organization", "position"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "pk"]
    inlines = [RegistrationEmailInline, MailingRecipientInline, SentReminderInline, AnswerInline]
    actions = [
        "check_in",
        "approve",
        "reject",
        "move_from_waiting_list",
        "resend_confirmation",
        "send_certificates",
        "export_csv",
        "export_excel",
        "participant_list",
        "erase",
    ]
    readonly_fields = [
        "event",
        "category",
        "delegation_link",
        "is_head_of_delegation",
        "nomination_document",
        "nomination_name",
        "status",
        "email",
        "created_at",
        "email_confirmed_at",
        "queued_at",
        "approved_at",
        "confirmed_at",
        "checked_in_at",
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
            _("Category and delegation"),
            {
                "fields": [
                    "category",
                    ("delegation_link", "is_head_of_delegation"),
                    "nomination_document",
                ]
            },
        ),
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
                    "checked_in_at",
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

    def has_check_in_permission(self, request):
        return request.user.has_perm("registration.check_in_registration")

    def has_approve_permission(self, request):
        return request.user.has_perm("registration.approve_registration")

    def has_export_permission(self, request):
        return request.user.has_perm("registration.export_registration")

    def has_erase_permission(self, request):
        return request.user.has_perm("registration.erase_registration")

    def may_raise_capacity(self, request) -> bool:
        """Giving a seat when every seat is taken raises the event's (or category's) seats."""
        return request.user.has_perm("registration.change_registrationsettings")

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

    @admin.display(description=_("delegation"))
    def delegation_link(self, registration):
        if registration.delegation_id is None:
            return "—"
        url = reverse("admin:registration_delegation_change", args=[registration.delegation_id])
        return format_html('<a href="{}">{}</a>', url, registration.delegation)

    @admin.display(description=_("nomination document"))
    def nomination_document(self, registration):
        """The registration's own nomination (a delegation's is on the delegation's page), as a
        link: shown to organizers allowed to read nominations (get_fieldsets)."""
        nomination = Nomination.objects.filter(registration=registration).first()
        if nomination is None:
            return "—"
        url = reverse("admin:registration_registration_nomination", args=[registration.pk])
        return format_html('<a href="{}">{}</a>', url, _nomination_label(nomination))

    @admin.display(description=_("nomination document"))
    def nomination_name(self, registration):
        nomination = Nomination.objects.filter(registration=registration).first()
        return _nomination_label(nomination) if nomination else "—"

    @staticmethod
    def _may_read_nominations(request) -> bool:
        return request.user.has_perm("registration.view_nomination")

    def get_fieldsets(self, request, obj=None):
        # The link to the document for those allowed to read it, its name for the others.
        shown = "nomination_document" if self._may_read_nominations(request) else "nomination_name"
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        shown if field == "nomination_document" else field
                        for field in options["fields"]
                    ],
                },
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_urls(self):
        return [
            path(
                "<int:object_id>/nomination/",
                self.admin_site.admin_view(self.nomination_view),
                name="registration_registration_nomination",
            ),
            *super().get_urls(),
        ]

    def nomination_view(self, request, object_id):
        """The registration's own nomination document, as an attachment, to organizers allowed
        to read nominations; never cached."""
        if not self._may_read_nominations(request):
            raise PermissionDenied
        nomination = get_object_or_404(Nomination, registration_id=object_id)
        return private_pdf_response(nomination.file, filename=f"nomination-r{object_id}.pdf")

    def _report(self, request, done: int, skipped: list[str], message: str) -> None:
        if done:
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _("Not changed: %(list)s") % {"list": "; ".join(skipped[:20])},
                messages.WARNING,
            )

    @admin.action(description=_("Check in the selected participants"), permissions=["check_in"])
    def check_in(self, request, queryset):
        done, skipped = 0, []
        for registration in queryset:
            try:
                organizers.check_in(registration)
                done += 1
            except registering.RegistrationStateError as error:
                skipped.append(f"{registration}: {error}")
        self._report(
            request,
            done,
            skipped,
            ngettext(
                "%(count)d participant checked in.", "%(count)d participants checked in.", done
            ),
        )

    @admin.action(description=_("Approve the selected registrations"), permissions=["approve"])
    def approve(self, request, queryset):
        done, skipped = 0, []
        for registration in queryset:
            try:
                organizers.approve_registration(registration)
                done += 1
            except registering.RegistrationStateError as error:
                skipped.append(f"{registration}: {error}")
        self._report(request, done, skipped, _("%(count)d registrations approved."))

    @admin.action(
        description=_("Reject the selected registrations (with a reason)…"), permissions=["approve"]
    )
    def reject(self, request, queryset):
        if "apply" in request.POST:
            form = RejectionForm(request.POST)
            if form.is_valid():
                done, skipped = 0, []
                for registration in queryset:
                    try:
                        organizers.reject_registration(
                            registration, reason=form.cleaned_data["reason"]
                        )
                        done += 1
                    except registering.RegistrationStateError as error:
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

    @admin.action(
        description=_("Move the selected from the waiting list to a seat"), permissions=["approve"]
    )
    def move_from_waiting_list(self, request, queryset):
        done, skipped = 0, []
        add_seat_if_full = self.may_raise_capacity(request)
        for registration in queryset.order_by("queued_at", "pk"):
            try:
                organizers.give_seat(registration, add_seat_if_full=add_seat_if_full)
                done += 1
            except registering.RegistrationStateError as error:
                skipped.append(f"{registration}: {error}")
        self._report(
            request,
            done,
            skipped,
            _("%(count)d participants given a seat (the capacity was raised where it was full)."),
        )

    @admin.action(description=_("Re-send the confirmation e-mail"), permissions=["change"])
    def resend_confirmation(self, request, queryset):
        queued = sum(organizers.resend_confirmation(registration) for registration in queryset)
        failed = queryset.exclude(last_mail_error="").count()
        self.message_user(request, _("%(count)d e-mails sent again.") % {"count": queued})
        if failed:
            self.message_user(
                request,
                _("%(count)d registrations still have an e-mail that could not be sent.")
                % {"count": failed},
                messages.WARNING,
            )

    @admin.action(description=_("Send the certificates of attendance"), permissions=["change"])
    def send_certificates(self, request, queryset):
        """One e-mail per selected participant checked in at least once, in their language,
        with the link to their certificate; the others are skipped and counted."""
        with transaction.atomic():
            result = certificates.send_certificates(
                registrations=queryset.select_related("event").order_by("pk")
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d certificate of attendance sent.",
                "%(count)d certificates of attendance sent.",
                result.sent,
            )
            % {"count": result.sent},
            messages.SUCCESS if result.sent else messages.INFO,
        )
        if result.skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration skipped: not checked in, or its event has not begun.",
                    "%(count)d registrations skipped: not checked in, or their event has not "
                    "begun.",
                    result.skipped,
                )
                % {"count": result.skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Export the selected as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.csv_response(queryset)

    @admin.action(description=_("Export the selected as Excel"), permissions=["export"])
    def export_excel(self, request, queryset):
        return exports.excel_response(queryset)

    @admin.action(
        description=_("Make a list of participants of their event…"), permissions=["export"]
    )
    def participant_list(self, request, queryset):
        """The form of the event's list of participants (registration.admin.participant_lists):
        the list is the event's, by category and country, whoever was selected."""
        events = set(queryset.values_list("event__registration_settings", flat=True))
        if len(events) != 1:
            self.message_user(
                request,
                _("Select registrations of one event to list its participants."),
                messages.ERROR,
            )
            return None
        return redirect(
            f"{self.admin_site.name}:{participant_lists.URL_NAME}", object_id=events.pop()
        )

    @admin.action(
        description=_("Erase the personal data of the selected (on request)"),
        permissions=["erase"],
    )
    def erase(self, request, queryset):
        erased = 0
        for registration in queryset.filter(erased_at__isnull=True):
            privacy.erase_registration(registration)
            erased += 1
        self.message_user(
            request, _("%(count)d registrations erased; their counts remain.") % {"count": erased}
        )
