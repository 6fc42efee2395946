"""The organizers' list of delegations: who registered, how many of their members are confirmed,
the members (each a link to their registration), the nomination document for those allowed to
read it, and the action that approves delegations at once.

Delegations come through the focal point's form and are changed through the focal point's link;
here organizers read them and approve, through registration.services.delegations.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_countries import countries

from registration.admin.files import private_pdf_response
from registration.models import Delegation, Nomination, Registration
from registration.services import delegations
from registration.services.registering import RegistrationStateError

Status = Registration.Status


class ApprovedFilter(admin.SimpleListFilter):
    title = _("approval")
    parameter_name = "approved"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(approved_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(approved_at__isnull=True)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The countries that have a delegation, not the world's 250."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Delegation.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


class MemberInline(admin.TabularInline):
    model = Registration
    fk_name = "delegation"
    verbose_name = _("member")
    verbose_name_plural = _("members")
    extra = 0
    can_delete = False
    fields = ["member", "is_head_of_delegation", "email", "status", "replaces"]
    readonly_fields = fields
    ordering = ["-is_head_of_delegation", "created_at", "pk"]
    # Each member's name links to their registration; the public page is theirs, not ours.
    view_on_site = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("replaces")

    @admin.display(description=_("member"))
    def member(self, registration):
        url = reverse("admin:registration_registration_change", args=[registration.pk])
        return format_html('<a href="{}">{}</a>', url, registration)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "country",
        "category",
        "members_confirmed",
        "approved",
    ]
    list_filter = ["event", "category", CountryFilter, ApprovedFilter]
    search_fields = ["organization", "focal_point_name", "focal_point_email"]
    list_select_related = ["category"]
    ordering = ["-created_at", "pk"]
    inlines = [MemberInline]
    actions = ["approve"]
    fields = [
        "event",
        "category",
        "organization",
        "country",
        "focal_point_name",
        "focal_point_position",
        "focal_point_email",
        "focal_point_phone",
        "language",
        "nomination_document",
        "nomination_name",
        "created_at",
        "approved_at",
        "withdrawn_at",
        "erased_at",
    ]
    readonly_fields = [
        "event",
        "category",
        "language",
        "nomination_document",
        "nomination_name",
        "created_at",
        "approved_at",
        "withdrawn_at",
        "erased_at",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count("members", filter=Q(members__status=Status.CONFIRMED)),
                active_count=Count(
                    "members", filter=Q(members__status__in=Registration.ACTIVE_STATUSES)
                ),
            )
        )

    def has_add_permission(self, request):
        # Delegations come through the focal point's form, which confirms each member's address.
        return False

    def has_delete_permission(self, request, obj=None):
        # Members are registrations: organizers erase personal data rather than delete.
        return False

    def has_approve_permission(self, request):
        return request.user.has_perm("registration.approve_registration")

    @admin.display(description=_("members confirmed / active"), ordering="confirmed_count")
    def members_confirmed(self, delegation):
        return f"{delegation.confirmed_count} / {delegation.active_count}"

    @admin.display(
        description=pgettext_lazy("a delegation, yes or no", "approved"),
        boolean=True,
        ordering="approved_at",
    )
    def approved(self, delegation):
        return delegation.approved_at is not None

    @admin.display(description=_("nomination document"))
    def nomination_document(self, delegation):
        nomination = Nomination.objects.filter(delegation=delegation).first()
        if nomination is None:
            return "—"
        url = reverse("admin:registration_delegation_nomination", args=[delegation.pk])
        return format_html('<a href="{}">{}</a>', url, self._nomination_label(nomination))

    @admin.display(description=_("nomination document"))
    def nomination_name(self, delegation):
        nomination = Nomination.objects.filter(delegation=delegation).first()
        return self._nomination_label(nomination) if nomination else "—"

    @staticmethod
    def _nomination_label(nomination: Nomination) -> str:
        return f"{nomination.get_kind_display()} ({nomination.original_name or 'PDF'})"

    def get_fields(self, request, obj=None):
        # Only organizers allowed to read nominations get the link to the document.
        hidden = "nomination_name" if self._may_read_nominations(request) else "nomination_document"
        return [field for field in super().get_fields(request, obj) if field != hidden]

    @staticmethod
    def _may_read_nominations(request) -> bool:
        return request.user.has_perm("registration.view_nomination")

    def get_urls(self):
        return [
            path(
                "<int:object_id>/nomination/",
                self.admin_site.admin_view(self.nomination_view),
                name="registration_delegation_nomination",
            ),
            *super().get_urls(),
        ]

    def nomination_view(self, request, object_id):
        """The delegation's nomination document, as an attachment, to organizers allowed to
        read nominations; never cached."""
        if not self._may_read_nominations(request):
            raise PermissionDenied
        nomination = get_object_or_404(Nomination, delegation_id=object_id)
        return private_pdf_response(nomination.file, filename=f"nomination-{object_id}.pdf")

    @admin.action(permissions=["approve"], description=_("Approve the selected delegations"))
    def approve(self, request, queryset):
        done, members, skipped = 0, 0, []
        for delegation in queryset:
            try:
                members += delegations.approve_delegation(delegation)
                done += 1
            except (delegations.DelegationError, RegistrationStateError) as error:
                skipped.append(f"{delegation}: {error}")
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delegation approved (%(members)d members approved now).",
                    "%(count)d delegations approved (%(members)d members approved now).",
                    done,
                )
                % {"count": done, "members": members},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Not changed: %(list)s") % {"list": "; ".join(skipped[:20])},
                messages.WARNING,
            )
