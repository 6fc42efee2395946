"""The proceedings' book in each language: its content, rendering it in the background, and
its state.

The book is a document of the documents app (documents.pdf keeps its rendering while the
fingerprint of its content holds), built from the same parts as the programme; its list of
participants is read from the registration app. It exists in each of the site's languages, stored
apart: the interface's words in that language and the organizers' texts where they wrote them in
it (else in the event's original language, marked). The publication is *available* in the
languages its title is written in (`available_languages`): its page offers those, and
`render_proceedings` keeps those books rendered; a book in another language renders when an
organizer asks for it.
"""

import hashlib
import html
import json
from typing import Any

import nh3
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from agenda import content
from agenda.models import BackgroundPaper, Event
from agenda.services import agenda_queryset
from documents import background, pdf
from documents.models import RenderedDocument
from documents.parts import (
    agenda_content,
    block,
    event_header,
    paper_content,
    passage,
    presentation_content,
    text,
)
from documents.services import document_language
from proceedings.models import Publication
from registration import services as registration_services

RENDER_TASK = "proceedings.tasks.render_proceedings_task"

RICH_TEXT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sup", "sub", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "td": {"colspan"}, "th": {"colspan"}}


def sanitize_rich_text(text: str) -> str:
    """Organizers' rich text reduced to simple, safe HTML. Plain text becomes paragraphs.

    No scripts, styles, event handlers or stylesheet links survive; image and link addresses
    that do survive still go through the PDF fetcher, which loads only the site's own media.
    """
    if not text.strip():
        return ""
    if "<" not in text:
        paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n")]
        return "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs if part)
    return nh3.clean(
        text,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def proceedings_participants(event: Event) -> list[dict[str, str]]:
    """Participants who consented to be listed, read from the registration app."""
    participants = registration_services.proceedings_participants(event)
    return [
        {
            "name": str(p.get("name", "")),
            "organization": str(p.get("organization", "") or ""),
            "country": str(p.get("country", "") or ""),
        }
        for p in participants
    ]


def available_languages(publication: Publication) -> list[str]:
    """The languages the publication is available in: those its title is written in, in the
    site's order of languages."""
    return [code for code, _name in settings.LANGUAGES if getattr(publication, f"title_{code}")]


def rich_text(value: content.Text) -> dict[str, str]:
    """Organizers' rich text, sanitized, with its language where it falls back."""
    return {
        "html": sanitize_rich_text(value.plain),
        "lang": value.lang if value.is_fallback else "",
    }


def proceedings_spec(event: Event, *, language: str | None = None) -> pdf.DocumentSpec:
    """The book in `language` (the active one by default)."""
    language = document_language(language)
    with translation.override(language):  # countries' names, in the book's language
        participants = proceedings_participants(event)
    digest = hashlib.sha256(json.dumps(participants, sort_keys=True).encode()).hexdigest()

    def build() -> dict[str, Any]:
        fresh = Event.objects.select_related("organizer", "publication").get(pk=event.pk)
        publication: Publication = fresh.publication
        original = fresh.original_language

        def book_text(obj, field: str) -> content.Text:
            return text(obj, field, original=original, language=language)

        items = list(agenda_queryset(fresh))
        abstracts = []
        for item in items:
            for presentation in item.presentations.all():
                abstract = book_text(presentation, "abstract")
                if not abstract.strip():
                    continue
                abstracts.append(
                    presentation_content(
                        presentation,
                        item_title="",
                        presentations=0,  # an abstract keeps its title whatever the item's
                        original=original,
                        language=language,
                    )
                    | {
                        "id": f"abstract-{presentation.pk}",
                        "session": str(item.session.label) if item.session else "",
                        "abstract": block(abstract),
                    }
                )
        papers = [
            paper_content(paper, paper.session, original=original, language=language)
            for paper in BackgroundPaper.objects.filter(session__event=fresh)
            .select_related("session")
            .prefetch_related("key_questions")
            .order_by("session__number")
        ]
        header = event_header(fresh, language=language)
        series = book_text(publication, "series")
        title = book_text(publication, "title")
        number = _("%(series)s No. %(number)s") % {
            "series": series.plain,
            "number": publication.series_number,
        }
        book = {
            "document_title": f"{number} – {title.plain}",
            "lang": language,
            "event": header,
            "publication": {
                "series": passage(series),
                "number": publication.series_number,
                "title": passage(title),
                "issn": publication.issn,
                "year": publication.year or fresh.start_date.year,
                "publisher": header["organizer"],
            },
            "foreword": rich_text(book_text(publication, "foreword")),
            "acronyms": [
                {"acronym": acronym.acronym, "meaning": passage(book_text(acronym, "meaning"))}
                for acronym in publication.acronyms.all()
            ],
            "report": rich_text(book_text(publication, "report")),
            "days": agenda_content(items, original=original, language=language),
            "abstracts": abstracts,
            "papers": papers,
            "participants": participants,
        }
        book["contents"] = proceedings_contents(book)
        return book

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.PROCEEDINGS,
        key="proceedings",
        template="pdf/proceedings.html",
        build=build,
        language=language,
        extra_version=digest,
        background=True,
    )


def proceedings_contents(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The book's table of contents: only the parts that have something to print."""
    entries = []
    if content["foreword"]["html"]:
        entries.append({"id": "foreword", "title": _("Foreword"), "level": 1})
    if content["acronyms"]:
        entries.append({"id": "acronyms", "title": _("Acronyms and Abbreviations"), "level": 1})
    if content["report"]["html"]:
        entries.append(
            {"id": "part-report", "title": _("Part I: Report of the Seminar"), "level": 1}
        )
    parts = [
        ("part-agenda", _("Seminar Agenda"), bool(content["days"])),
        (
            "part-abstracts",
            _("Abstracts of the Speakers’ Presentations"),
            bool(content["abstracts"]),
        ),
    ]
    number = 2 if content["report"]["html"] else 1
    for part_id, title, present in parts:
        if present:
            roman = ["I", "II", "III"][number - 1]
            title = _("Part %(number)s: %(title)s") % {"number": roman, "title": title}
            entries.append({"id": part_id, "title": title, "level": 1})
            number += 1
    annexes = []
    if content["papers"]:
        annexes.append(("annex-papers", _("Background Papers of the Sessions")))
    if content["participants"]:
        annexes.append(("annex-participants", _("List of Participants")))
    if annexes:
        entries.append({"id": "annexes", "title": _("Annexes"), "level": 1})
        for number, (annex_id, title) in enumerate(annexes, start=1):
            roman = ["I", "II"][number - 1]
            title = _("Annex %(number)s: %(title)s") % {"number": roman, "title": title}
            entries.append({"id": annex_id, "title": title, "level": 2})
    return [entry | {"title": str(entry["title"])} for entry in entries]


def render_proceedings(event: Event, *, language: str | None = None) -> RenderedDocument:
    """The event's proceedings book in `language` (the active one by default) as a PDF, stored or
    rendered now (slow: about 14 s for 150 pages). Requests never call this: organizers queue it
    with `queue_proceedings_render`."""
    return pdf.get_document(proceedings_spec(event, language=language))


def proceedings_status(
    event: Event, *, language: str | None = None
) -> tuple[RenderedDocument | None, bool]:
    """The stored proceedings in `language` (without their bytes) and whether they are
    current."""
    return pdf.status(proceedings_spec(event, language=language))


def queue_proceedings_render(event: Event, *, language: str | None = None) -> bool:
    """Ask the worker to render the proceedings in `language` (the active one by default) once
    the current transaction commits, unless a rendering is already waiting or running. Returns
    whether one was asked for."""
    spec = proceedings_spec(event, language=language)
    return background.request_render(spec, RENDER_TASK, event.pk, spec.language)


def run_proceedings_render(event: Event, *, language: str = "en") -> RenderedDocument | None:
    """The worker's part: render the proceedings in `language` unless the stored ones are
    current; a failed rendering is retried after a back-off (documents.background)."""
    spec = proceedings_spec(event, language=language)
    return background.run_render(spec, RENDER_TASK, event.pk, spec.language)
