"""Printing the passages of documents.parts in the PDF templates, each marked with its language.

A passage is `{"text": ..., "lang": ""}`; its `lang` is set only where the text falls back to
another language than the document's, and then the element that holds it says so.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _parts(value) -> tuple[str, str]:
    if isinstance(value, dict):
        return str(value.get("text") or ""), str(value.get("lang") or "")
    return ("" if value is None else str(value)), ""


@register.filter
def passage(value) -> SafeString:
    """The passage's text, in a `<span lang>` when it is in another language:
    `{{ paper.title|passage }}`."""
    text, lang = _parts(value)
    if lang and text:
        return format_html('<span lang="{}">{}</span>', lang, text)
    return conditional_escape(text)


@register.filter
def passages(values, separator: str = ", ") -> SafeString:
    """Passages joined by `separator` (", "), each marked: `{{ event.venue|passages }}`."""
    printed = [passage(value) for value in values or () if _parts(value)[0]]
    return mark_safe(conditional_escape(separator).join(printed))


@register.filter
def lang_attr(value) -> SafeString:
    """` lang="en"` for the element that holds a passage or block in another language, else
    nothing: `<h1{{ paper.title|lang_attr }}>{{ paper.title.text }}</h1>`."""
    lang = value.get("lang") if isinstance(value, dict) else ""
    return format_html(' lang="{}"', lang) if lang else mark_safe("")
