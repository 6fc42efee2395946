"""The documents' admin: stored PDFs, read-only (`RenderedDocumentAdmin`)."""

from django.contrib import admin

from agenda.admin_time import EventTimeZoneAdminMixin
from documents.models import RenderedDocument


class RenderedDocumentAdmin(EventTimeZoneAdminMixin, admin.ModelAdmin):
    list_display = ["event", "kind", "key", "state", "pages", "rendered_at", "render_seconds"]
    list_filter = ["kind", "state", "event"]
    readonly_fields = ["event", "kind", "key", "fingerprint", "pages", "rendered_at",
                       "render_seconds", "state", "state_changed_at", "error", "attempts",
                       "retry_at"]  # fmt: skip
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(RenderedDocument, RenderedDocumentAdmin)
