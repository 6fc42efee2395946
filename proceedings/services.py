"""The proceedings' book: its content, rendering it in the background, and its state.

The book is a document of the documents app (documents.pdf keeps its rendering while the
fingerprint of its content holds), built from the same parts as the programme; its list of
participants is read from the registration app.
"""

import hashlib
import html
import json
from typing import Any

import nh3
from django.utils.translation import gettext as _

from agenda.models import BackgroundPaper, Event
from agenda.services import agenda_queryset
from documents import background, pdf
from documents.models import RenderedDocument
from documents.services import (
    LANGUAGE_CODES,
    agenda_content,
    event_header,
    paper_content,
    paragraphs,
    person_content,
)
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
        return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(text))
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


def proceedings_spec(event: Event) -> pdf.DocumentSpec:
    participants = proceedings_participants(event)
    digest = hashlib.sha256(json.dumps(participants, sort_keys=True).encode()).hexdigest()

    def build() -> dict[str, Any]:
        fresh = Event.objects.select_related("organizer", "publication").get(pk=event.pk)
        publication: Publication = fresh.publication
        language = (publication.languages or "English").split(",")[0].strip().lower()
        items = list(agenda_queryset(fresh))
        abstracts = [
            {
                "id": f"abstract-{presentation.pk}",
                "title": presentation.title,
                "session": str(item.session.label) if item.session else "",
                "speakers": [
                    person_content(link.person, label=link.label)
                    for link in presentation.speaker_links.all()
                ],
                "paragraphs": paragraphs(presentation.abstract),
            }
            for item in items
            for presentation in item.presentations.all()
            if presentation.abstract.strip()
        ]
        papers = [
            paper_content(paper, paper.session)
            for paper in BackgroundPaper.objects.filter(session__event=fresh)
            .select_related("session")
            .prefetch_related("key_questions")
            .order_by("session__number")
        ]
        content = {
            "document_title": f"{publication.series} No. {publication.series_number} – "
            f"{publication.title}",
            "lang": LANGUAGE_CODES.get(language, "en"),
            "event": event_header(fresh),
            "publication": {
                "series": publication.series,
                "number": publication.series_number,
                "title": publication.title,
                "issn": publication.issn,
                "year": publication.year or fresh.start_date.year,
                "publisher": fresh.organizer.name,
            },
            "foreword": sanitize_rich_text(publication.foreword),
            "acronyms": [
                {"acronym": a.acronym, "meaning": a.meaning} for a in publication.acronyms.all()
            ],
            "report": sanitize_rich_text(publication.report),
            "days": agenda_content(items),
            "abstracts": abstracts,
            "papers": papers,
            "participants": participants,
        }
        content["contents"] = proceedings_contents(content)
        return content

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.PROCEEDINGS,
        key="proceedings",
        template="pdf/proceedings.html",
        build=build,
        extra_version=digest,
        background=True,
    )


def proceedings_contents(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The book's table of contents: only the parts that have something to print."""
    entries = []
    if content["foreword"]:
        entries.append({"id": "foreword", "title": _("Foreword"), "level": 1})
    if content["acronyms"]:
        entries.append({"id": "acronyms", "title": _("Acronyms and Abbreviations"), "level": 1})
    if content["report"]:
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
    number = 2 if content["report"] else 1
    for part_id, title, present in parts:
        if present:
            roman = ["I", "II", "III"][number - 1]
            entries.append({"id": part_id, "title": f"{_('Part')} {roman}: {title}", "level": 1})
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
            entries.append({"id": annex_id, "title": f"{_('Annex')} {roman}: {title}", "level": 2})
    return [entry | {"title": str(entry["title"])} for entry in entries]


def render_proceedings(event: Event) -> RenderedDocument:
    """The event's proceedings book as a PDF, stored or rendered now (slow: about 14 s for
    150 pages). Requests never call this: organizers queue it with `queue_proceedings_render`."""
    return pdf.get_document(proceedings_spec(event))


def proceedings_status(event: Event) -> tuple[RenderedDocument | None, bool]:
    """The stored proceedings (without their bytes) and whether they are current."""
    return pdf.status(proceedings_spec(event))


def queue_proceedings_render(event: Event) -> bool:
    """Ask the worker to render the proceedings once the current transaction commits, unless a
    rendering is already waiting or running. Returns whether one was asked for."""
    return background.request_render(proceedings_spec(event), RENDER_TASK, event.pk)


def run_proceedings_render(event: Event) -> RenderedDocument | None:
    """The worker's part: render the proceedings unless the stored ones are current; a failed
    rendering is retried after a back-off (documents.background)."""
    return background.run_render(proceedings_spec(event), RENDER_TASK, event.pk)
