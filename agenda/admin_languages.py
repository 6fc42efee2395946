"""The admin's forms in English, French and Spanish.

Every text registered for translation (agenda.translation) has a column per language; its
admin form shows them as tabs, one per language (modeltranslation's `TabbedTranslationAdmin`
and translation inlines, on Django's own jQuery with the jQuery UI of the xstatic package:
nothing is fetched from another site). A text required in the model is required in English;
French and Spanish are optional.

- `TranslatedAdmin`: the tabbed form, with a search that looks in every language.
- `tabular_inline` / `stacked_inline`: the tabbed inline for a model with translated texts,
  Django's inline otherwise (so that an inline keeps working whether or not its model's texts
  are registered yet).
"""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator
from modeltranslation.utils import get_translation_fields


def translated_fields(model) -> list[str]:
    """The fields of `model` written in every language; none when it is not registered."""
    if model not in translator.get_registered_models():
        return []
    return list(translator.get_options_for_model(model).fields)


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
