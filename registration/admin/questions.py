"""The organizers' questions of the registration form, with their options (seats included) in
the same page, each text in every language; the answers on a registration's page, read-only,
with files downloadable by those allowed to see registrations.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agenda.admin_languages import TranslatedAdmin, tabular_inline
from registration.admin.files import private_pdf_response
from registration.models import Answer, ParticipantCategory, Question, QuestionOption
from registration.services.answers import answer_text

ANSWER_FILE_VIEW = "registration_answer_file"


class QuestionOptionInline(tabular_inline(QuestionOption)):
    model = QuestionOption
    extra = 0
    fields = ["label", "seats", "order"]


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["event", "categories", "kind", "label", "help_text", "required", "order"]

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        categories = cleaned.get("categories")
        if event is not None and categories is not None:
            foreign = [category for category in categories if category.event_id != event.pk]
            if foreign:
                self.add_error(
                    "categories",
                    ValidationError(
                        _("Choose categories of this question's event only."),
                        code="category_of_another_event",
                    ),
                )
        return cleaned


@admin.register(Question)
class QuestionAdmin(TranslatedAdmin):
    form = QuestionAdminForm
    list_display = ["label", "event", "kind", "required", "order", "asked_of"]
    list_filter = ["event", "kind", "categories", "required"]
    list_select_related = ["event"]
    search_fields = ["label"]
    filter_horizontal = ["categories"]
    ordering = ["event", "order", "pk"]
    inlines = [QuestionOptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description=_("asked of"))
    def asked_of(self, question):
        return ", ".join(str(category) for category in question.categories.all()) or _("everyone")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "categories":
            object_id = request.resolver_match.kwargs.get("object_id")
            if object_id and str(object_id).isdigit():
                event_id = Question.objects.filter(pk=object_id).values("event_id")[:1]
                kwargs["queryset"] = ParticipantCategory.objects.filter(event_id__in=event_id)
            else:
                kwargs["queryset"] = ParticipantCategory.objects.select_related("event")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        download = path(
            "answer/<int:answer>/file/",
            self.admin_site.admin_view(self.answer_file),
            name=ANSWER_FILE_VIEW,
        )
        return [download, *super().get_urls()]

    def answer_file(self, request, answer):
        """An answer's file as a download, for users allowed to see answers (not the desk)."""
        if not request.user.has_perm("registration.view_answer"):
            raise PermissionDenied
        answer = get_object_or_404(Answer.objects.exclude(file=""), pk=answer)
        return private_pdf_response(answer.file, filename=answer.file_name or "answer.pdf")


class AnswerInline(admin.TabularInline):
    """The registration's answers, as the participant gave them; not editable here."""

    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "answer", "download"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question__event")
            .prefetch_related("options")
        )

    @admin.display(description=_("answer"))
    def answer(self, answer):
        return answer_text(answer, original=answer.question.event.original_language)

    @admin.display(description=_("file"))
    def download(self, answer):
        if not answer.file:
            return "—"
        url = reverse(f"admin:{ANSWER_FILE_VIEW}", args=[answer.pk])
        return format_html('<a href="{}">{}</a>', url, answer.file_name or _("download"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
