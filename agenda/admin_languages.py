"""The admin's forms in English, French and Spanish, and the page of what is still missing.

Every text registered for translation (agenda.translation) has a column per language; its
admin form shows them as tabs, one per language (modeltranslation's `TabbedTranslationAdmin`
and translation inlines, on Django's own jQuery with the jQuery UI of the xstatic package:
nothing is fetched from another site). A text required in the model is required in English;
French and Spanish are optional.

- `TranslatedAdmin`: the tabbed form, with a search that looks in every language.
- `tabular_inline` / `stacked_inline`: the tabbed inline for a model with translated texts,
  Django's inline otherwise (so that an inline keeps working whether or not its model's texts
  are registered yet).
- `TranslationReportAdminMixin`: for the Event admin, its "Translations" page (which texts lack
  a language, agenda.translation_report), linked from the event's page and the list of events.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import get_translation_fields

from agenda.translation_report import event_report, missing_translations, translated_fields

# The sentence the page shows when nothing is missing, by the event's original language.
NOTHING_MISSING = {
    "en": _("Every text has its French and Spanish version."),
    "fr": _("Every text has its English and Spanish version."),
    "es": _("Every text has its English and French version."),
}


def search_in_every_language(model, lookups) -> list[str]:
    """`lookups` with each translated field replaced by its columns in every language.

    Searching "title" would otherwise look in the admin's language only (modeltranslation reads
    `title` as `title_fr` on /fr/admin/), missing the texts not translated yet.
    """
    expanded = []
    for lookup in lookups:
        operator = lookup[0] if lookup[:1] in {"^", "=", "@"} else ""
        *path_parts, name = lookup.removeprefix(operator).split("__")
        target = model
        try:
            for part in path_parts:
                target = target._meta.get_field(part).related_model
        except (FieldDoesNotExist, AttributeError):
            target = None
        if target is not None and name in translated_fields(target):
            prefix = "".join(f"{part}__" for part in path_parts)
            expanded += [f"{operator}{prefix}{column}" for column in get_translation_fields(name)]
        else:
            expanded.append(lookup)
    return expanded


class TranslatedAdmin(TabbedTranslationAdmin):
    """A model's admin whose texts are entered in every language, one tab each."""

    def get_search_fields(self, request):
        return search_in_every_language(self.model, super().get_search_fields(request))


def tabular_inline(model) -> type:
    """The base of a tabular inline of `model`: tabs for its texts where they are translated."""
    return TranslationTabularInline if translated_fields(model) else admin.TabularInline


def stacked_inline(model) -> type:
    """The base of a stacked inline of `model` (see tabular_inline)."""
    return TranslationStackedInline if translated_fields(model) else admin.StackedInline


def language_names(codes) -> list[str]:
    """The languages' names in the admin's language ("French", "français", "francés")."""
    return [str(get_language_info(code)["name_translated"]) for code in codes]


def missing_label(count: int) -> str:
    return ngettext("Translations: %(count)d missing", "Translations: %(count)d missing", count) % {
        "count": count
    }


class TranslationReportAdminMixin:
    """For the Event admin: a page per event listing its texts that lack a language, with a
    link to where each is edited; the number missing on the event's page and in the list."""

    translation_report_template = "admin/agenda/event/translations.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/translations/",
                self.admin_site.admin_view(self.translations_view),
                name="agenda_event_translations",
            ),
            *super().get_urls(),
        ]

    def _translations_url(self, event) -> str:
        return reverse(f"{self.admin_site.name}:agenda_event_translations", args=[event.pk])

    def translations_view(self, request, object_id):
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        report = event_report(event)
        can_open = {}
        objects = []
        for entry in report.objects:
            model, pk = entry.edited_on
            if model not in can_open:
                model_admin = self.admin_site._registry.get(model)
                can_open[model] = model_admin is not None and (
                    model_admin.has_view_or_change_permission(request)
                )
            objects.append(
                {
                    "kind": entry.kind,
                    "obj": entry.obj,
                    "url": self._change_url(model, pk) if can_open[model] else None,
                    "texts": [
                        {
                            "label": text.label,
                            "text": text.text,
                            "languages": ", ".join(language_names(text.languages)),
                        }
                        for text in entry.texts
                    ],
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translations of “%(event)s”") % {"event": event},
            "subtitle": None,
            "opts": self.model._meta,
            "original": event,
            "has_view_permission": True,
            "counts": [
                (name, count)
                for name, count in zip(
                    language_names(report.counts), report.counts.values(), strict=True
                )
            ],
            "total": report.total,
            "objects": objects,
            "original_language": language_names([event.original_language])[0],
            "nothing_missing": NOTHING_MISSING.get(event.original_language),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.translation_report_template, context)

    def _change_url(self, model, pk) -> str | None:
        meta = model._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}_change", args=[pk]
            )
        except NoReverseMatch:
            return None

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The counts of the listed events, read together (a fixed number of queries).
        events = list(changelist.result_list)
        reports = missing_translations(events)
        for event in events:
            event.missing_translations = reports[event.pk].total
        return changelist

    @admin.display(description=_("translations"))
    def translations(self, event):
        count = getattr(event, "missing_translations", None)
        if count is None:
            count = event_report(event).total
        return format_html(
            '<a href="{}">{}</a>', self._translations_url(event), missing_label(count)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, unquote(object_id))
        if event is not None:
            extra_context = {
                "translations_url": self._translations_url(event),
                "translations_label": missing_label(event_report(event).total),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)
