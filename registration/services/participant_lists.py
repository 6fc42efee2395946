"""The lists of participants as IOM prints them in the proceedings' annex: by participant category
(in the categories' order, those without one last), then by country (in the alphabetical order of
the list's language: "Allemagne" before "Égypte" in French), then by name.

Two lists are made from the same rows:
- the **public list**, a PDF per language stored by the documents app: confirmed participants who
  agreed to appear in it (`Registration.objects.on_public_list()`), their name and organization;
  its version is the participant lists' sequence (PARTICIPANT_LISTS_SEQUENCE), which every write
  to a registration advances;
- the **internal list** for organizers, as PDF or Excel: the registrations of the statuses they
  choose, with their position, organization and the fields they choose. It holds personal data:
  rendered for the request, never stored.

Reads only: nothing here changes a registration.
"""

import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from agenda.models import Event
from documents import pdf
from documents.models import RenderedDocument
from documents.parts import event_header, passage, text
from idm_seminar.pagecache import content_version
from registration.models import PARTICIPANT_LISTS_SEQUENCE, Registration

# The fields an organizer may add to the internal list, in the order its columns are printed.
INTERNAL_FIELDS = {
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "status": gettext_lazy("Status"),
    "delegation": gettext_lazy("Delegation"),
    "head_of_delegation": gettext_lazy("Head of delegation"),
    "days": gettext_lazy("Days"),
    "breakout_group": gettext_lazy("Break-out group"),
    "checked_in": gettext_lazy("Checked in"),
}

# Spreadsheets run a cell that starts like a formula (registration.admin.exports does the same).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def alphabetical_key(name: str) -> tuple[str, str]:
    """A name's place in a list in the language's alphabetical order: letters without their
    accents first ("Égypte" among the E), then the accents to break a tie."""
    bare = "".join(
        char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)
    )
    return bare.casefold(), name.casefold()


def _field_value(registration: Registration, field: str) -> str:
    if field == "email":
        return registration.email
    if field == "phone":
        return registration.phone_display
    if field == "status":
        return str(registration.get_status_display())
    if field == "delegation":
        return registration.delegation.organization if registration.delegation else ""
    if field == "head_of_delegation":
        return _("yes") if registration.is_head_of_delegation else ""
    if field == "days":
        return ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in registration.days)
    if field == "breakout_group":
        return str(registration.breakout_group or "")
    if field == "checked_in":
        if registration.checked_in_at is None:
            return ""
        return date_format(timezone.localtime(registration.checked_in_at), "SHORT_DATETIME_FORMAT")
    raise ValueError(f"No field {field!r} in the list of participants.")


def grouped_participants(
    event: Event, registrations: Iterable[Registration], *, fields: Sequence[str], language: str
) -> list[dict[str, Any]]:
    """The registrations by category, then country, then last and first name, in `language`.

    Each group: {"category": {"text", "lang"}, "countries": [{"country", "participants"}]};
    each participant: name (the honorific as `language` prints it), position, organization,
    and "fields": the values of `fields` (keys of INTERNAL_FIELDS) in that order.
    """
    original = event.original_language
    with translation.override(language):
        categories: dict[int | None, dict[str, Any]] = {
            category.pk: {
                "category": passage(text(category, "name", original=original, language=language)),
                "order": index,
                "countries": {},
            }
            for index, category in enumerate(event.participant_categories.all())
        }
        without = {
            "category": {"text": _("Other participants"), "lang": ""},
            "order": len(categories),
            "countries": {},
        }
        for registration in registrations:
            group = categories.get(registration.category_id, without)
            country = str(registration.country.name) if registration.country else ""
            group["countries"].setdefault(country, []).append(
                {
                    "sort": alphabetical_key(f"{registration.last_name} {registration.first_name}"),
                    "name": registration.full_name,
                    "position": registration.position,
                    "organization": registration.organization,
                    "fields": [_field_value(registration, field) for field in fields],
                }
            )
        groups = []
        for group in sorted([*categories.values(), without], key=lambda group: group["order"]):
            if not group["countries"]:
                continue
            countries = [
                {
                    "country": country or _("Country not given"),
                    "participants": [
                        {key: value for key, value in row.items() if key != "sort"}
                        for row in sorted(rows, key=lambda row: row["sort"])
                    ],
                }
                for country, rows in sorted(
                    group["countries"].items(),
                    # Those without a country after every country.
                    key=lambda item: (not item[0], alphabetical_key(item[0])),
                )
            ]
            groups.append({"category": group["category"], "countries": countries})
        return groups


def _registrations(queryset):
    return queryset.select_related("delegation", "breakout_group").order_by("pk")


def _list_content(
    event: Event, *, title: str, groups: list[dict[str, Any]], columns: list[str], language: str
) -> dict[str, Any]:
    fresh = Event.objects.select_related("organizer").get(pk=event.pk)
    header = event_header(fresh, language=language)
    return {
        "document_title": f"{title}: {header['title']['text']}",
        "lang": language,
        "event": header,
        "title": title,
        "columns": columns,
        "groups": groups,
        "count": sum(
            len(country["participants"]) for group in groups for country in group["countries"]
        ),
    }


def public_list_spec(event: Event, *, language: str) -> pdf.DocumentSpec:
    """The public list in `language`: confirmed participants who agreed to appear in it, their
    name and organization, by category and country. Stored by the documents app; the participant
    lists' version tells it when to look at the list again."""

    def build() -> dict[str, Any]:
        registrations = _registrations(Registration.objects.on_public_list().filter(event=event))
        groups = grouped_participants(event, registrations, fields=[], language=language)
        return _list_content(
            event,
            title=_("List of participants"),
            groups=groups,
            columns=[_("Name"), _("Organization")],
            language=language,
        ) | {"public": True}

    return pdf.DocumentSpec(
        event=event,
        kind=RenderedDocument.Kind.PARTICIPANT_LIST,
        key="public",
        template="pdf/participant_list.html",
        build=build,
        language=language,
        extra_version=str(content_version(PARTICIPANT_LISTS_SEQUENCE)),
    )


def _internal_content(
    event: Event, *, fields: Sequence[str], statuses: Sequence[str], language: str
) -> dict[str, Any]:
    unknown = set(fields) - set(INTERNAL_FIELDS)
    if unknown:
        raise ValueError(f"No such fields in the list of participants: {sorted(unknown)}")
    registrations = _registrations(
        Registration.objects.not_erased().filter(event=event, status__in=statuses)
    )
    with translation.override(language):
        groups = grouped_participants(event, registrations, fields=fields, language=language)
        return _list_content(
            event,
            title=_("List of participants (internal)"),
            groups=groups,
            columns=[
                _("Name"),
                _("Position"),
                _("Organization"),
                *(str(INTERNAL_FIELDS[field]) for field in fields),
            ],
            language=language,
        ) | {"public": False}


def internal_list_pdf(
    event: Event, *, fields: Sequence[str], statuses: Sequence[str], language: str
) -> bytes:
    """The internal list of the event's registrations in `statuses` (erased ones left out), with
    `fields` (keys of INTERNAL_FIELDS), as a PDF in `language`. Rendered now and never stored."""
    content = _internal_content(event, fields=fields, statuses=statuses, language=language)
    html = pdf.render_html("pdf/participant_list.html", content, language=language)
    return pdf.html_to_pdf(html).content


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def internal_list_workbook(
    event: Event, *, fields: Sequence[str], statuses: Sequence[str], language: str
) -> bytes:
    """The internal list as an Excel workbook in `language`: one row per participant, with their
    category and country in the first columns (the PDF's headings), in the PDF's order. No cell
    starts like a formula, whatever a participant typed."""
    content = _internal_content(event, fields=fields, statuses=statuses, language=language)
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(language):
        sheet.title = _("Participants")
        sheet.append([_("Category"), _("Country"), *content["columns"]])
    for group in content["groups"]:
        for country in group["countries"]:
            for row in country["participants"]:
                values = [
                    group["category"]["text"],
                    country["country"],
                    row["name"],
                    row["position"],
                    row["organization"],
                    *row["fields"],
                ]
                sheet.append([_cell(str(value)) for value in values])
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
