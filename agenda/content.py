"""Organizers' texts in the reader's language, and which language each one is really in.

Every text organizers write has a column per language (agenda.translation). A page in French
prints the French text; where it is missing, the text in the event's original language, then
any other, and the element that holds it says so with `lang`, so that a screen reader switches
voice and the reader knows why the text is not in French. `text()` is the one place that
chooses; templates use it through the `tr` tag (agenda_extras), documents through their
builders.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import conditional_escape, escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def interface_language() -> str:
    """The language pages and documents are being written in now (its base code: "fr")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class Text(str):
    """A text of organizers with the language it is in (`lang`) and the one it was asked in
    (`wanted`). Printed in a template it marks itself with `lang` when the two differ."""

    lang: str
    wanted: str

    def __new__(cls, value: str, lang: str, wanted: str):
        text = super().__new__(cls, value)
        text.lang = lang
        text.wanted = wanted
        return text

    @property
    def is_fallback(self) -> bool:
        return bool(self) and self.lang != self.wanted

    @property
    def plain(self) -> str:
        """The text alone, for attributes and titles where no element can mark it."""
        return str(self)

    @property
    def lang_attr(self) -> SafeString:
        """` lang="en"` for the element that holds a text in another language, else nothing."""
        return format_html(' lang="{}"', self.lang) if self.is_fallback else mark_safe("")

    def __html__(self) -> str:
        if self.is_fallback:
            return format_html('<span lang="{}">{}</span>', self.lang, str(self))
        return escape(str(self))

    def paragraphs(self) -> list["Text"]:
        """The text's paragraphs (split at empty lines), each in the text's language."""
        parts = str(self).replace("\r\n", "\n").split("\n\n")
        return [Text(part.strip(), self.lang, self.wanted) for part in parts if part.strip()]

    def as_paragraphs(self) -> SafeString:
        """The text as <p> elements (as the `linebreaks` filter makes them), marked when it is
        in another language."""
        html = linebreaks(str(self), autoescape=True)
        if self.is_fallback:
            return format_html('<div lang="{}">{}</div>', self.lang, mark_safe(html))
        return mark_safe(html)

    def __reduce__(self):
        return (Text, (str(self), self.lang, self.wanted))


def fallback_order(wanted: str, original: str) -> list[str]:
    """The languages to look in, in order: the wanted one, the original, then the others."""
    order = [wanted, original, settings.LANGUAGE_CODE, *LANGUAGE_CODES]
    return list(dict.fromkeys(code for code in order if code in LANGUAGE_CODES))


def text(obj, field: str, *, original: str | None = None, language: str | None = None) -> Text:
    """`obj`'s `field` in `language` (the interface's by default), or where it is empty in the
    `original` language (the event's; English when none is known), then any other language."""
    wanted = language or interface_language()
    original = original or settings.LANGUAGE_CODE
    for code in fallback_order(wanted, original):
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return Text(str(value), code, wanted)
    return Text("", wanted, wanted)


def missing(obj, field: str, *, languages: list[str] | None = None) -> list[str]:
    """The languages in which `obj`'s `field` is empty while another language has a text."""
    values = {code: getattr(obj, f"{field}_{code}", None) for code in LANGUAGE_CODES}
    if not any(values.values()):
        return []
    return [code for code in (languages or LANGUAGE_CODES) if not values[code]]


class Joined(str):
    """Texts printed together ("CICG, Geneva"), each part marked with its own language when it
    falls back, since the parts may come from different languages."""

    parts: list[Text]
    separator: str

    def __new__(cls, parts: list[Text], separator: str = ", "):
        parts = [part for part in parts if part]
        joined = super().__new__(cls, separator.join(parts))
        joined.parts = parts
        joined.separator = separator
        return joined

    @property
    def plain(self) -> str:
        """The texts alone, for attributes and titles where no element can mark them."""
        return str(self)

    def __html__(self) -> str:
        return conditional_escape(self.separator).join(conditional_escape(p) for p in self.parts)

    def __reduce__(self):
        return (Joined, (self.parts, self.separator))


def place(event, *, language: str | None = None) -> Joined:
    """Where `event` takes place, as pages print it: its venue and city ("CICG, Geneva")."""
    original = event.original_language
    return Joined(
        [
            text(event, "venue", original=original, language=language),
            text(event, "city", original=original, language=language),
        ]
    )


def organization_name(
    organization, *, original: str | None = None, language: str | None = None
) -> Joined:
    """An organization's name with its acronym, as printed: "World Health Organization (WHO)"."""
    name = text(organization, "name", original=original, language=language)
    acronym = text(organization, "acronym", original=original, language=language)
    if not acronym:
        return Joined([name])
    return Joined([name, Text(f"({acronym})", acronym.lang, acronym.wanted)], separator=" ")


def affiliation(person, *, original: str | None = None, language: str | None = None) -> Joined:
    """A person's position and organization as the programme prints them ("Director, WHO").

    The organization is the affiliation as printed when organizers wrote one (in any language),
    else the organization's name.
    """
    position = text(person, "position", original=original, language=language)
    organization = text(person, "affiliation_note", original=original, language=language)
    if not organization and person.organization_id:
        organization = text(person.organization, "name", original=original, language=language)
    return Joined([position, organization])


@dataclass(frozen=True)
class Link:
    """Where a document is read and the language it is in (`lang`); `lang_differs` when that is
    not the page's language, so that the page can say which one it is."""

    href: str
    lang: str
    wanted: str

    @property
    def lang_differs(self) -> bool:
        return bool(self.href) and self.lang != self.wanted


def document_link(
    document, *, original: str | None = None, language: str | None = None
) -> Link | None:
    """The file of `document` in the reader's language, else in the original language, else in
    any; where it has no file, its address chosen the same way. None when it has neither."""
    wanted = language or interface_language()
    order = fallback_order(wanted, original or settings.LANGUAGE_CODE)
    for field in ("file", "url"):
        for code in order:
            value = getattr(document, f"{field}_{code}", None)
            if value:
                href = value.url if field == "file" else str(value)
                return Link(href, code, wanted)
    return None
