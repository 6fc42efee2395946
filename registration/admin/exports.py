"""The spreadsheet of registrations the organizers export from the admin, as CSV or Excel: one row
per registration, in the participant's words, with dates in the time zone the admin's list shows
(timezone.localtime()); its category, and one column per question of the events exported
(labelled in the export's language; options joined by "; ", yes/no, dates in ISO, a file by the
name it was uploaded with).

A spreadsheet runs a cell that starts like a formula; no exported text may, whatever a
participant typed (`FORMULA_START`).
"""

import csv
import datetime
import io

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from agenda import content
from registration.models import Answer, Question, Registration
from registration.services.answers import answer_text

EXPORT_FIELDS = [
    ("pk", _("number")),
    ("status", _("status")),
    ("honorific", _("honorific")),
    ("first_name", _("first names")),
    ("last_name", _("last name")),
    ("position", _("position")),
    ("organization", _("organization")),
    ("sector", _("sector")),
    ("country", _("country")),
    ("email", _("e-mail")),
    ("phone", _("phone")),
    ("days", _("days attending")),
    ("breakout_group", _("break-out group")),
    ("dietary_needs", _("dietary needs")),
    ("accessibility_needs", _("accessibility needs")),
    ("consent_public_list", _("public list")),
    ("consent_proceedings_list", _("proceedings list")),
    ("created_at", _("registered")),
    ("email_confirmed_at", _("e-mail confirmed")),
    ("confirmed_at", _("seat confirmed")),
    ("queued_at", _("asked for a seat")),
    ("category", _("category")),
]

# Spreadsheets run a cell that starts like a formula; exported text must never do that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _export_value(registration: Registration, field: str):
    if field == "status":
        return registration.get_status_display()
    if field == "sector":
        return registration.get_sector_display()
    if field == "country":
        return str(registration.country.name)
    if field == "days":
        return ", ".join(day.isoformat() for day in registration.days)
    if field == "breakout_group":
        return str(registration.breakout_group or "")
    if field == "category":
        category = registration.category
        if category is None:
            return ""
        return str(content.text(category, "name", original=registration.event.original_language))
    value = getattr(registration, field)
    if hasattr(value, "tzinfo") and value is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else value


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        value = "'" + value
    return str(value) if not isinstance(value, (int, datetime.datetime)) else value


def export_rows(queryset):
    questions = list(
        Question.objects.filter(event__in=queryset.values("event"))
        .select_related("event")
        .order_by("event__start_date", "event", "order", "pk")
    )
    yield [str(label) for _field, label in EXPORT_FIELDS] + [
        _safe(str(content.text(question, "label", original=question.event.original_language)))
        for question in questions
    ]
    answers = Answer.objects.select_related("question").prefetch_related("options")
    registrations = queryset.select_related("breakout_group", "category", "event").prefetch_related(
        Prefetch("answers", queryset=answers)
    )
    for registration in registrations:
        row = [_safe(_export_value(registration, field)) for field, _label in EXPORT_FIELDS]
        given = {answer.question_id: answer for answer in registration.answers.all()}
        original = registration.event.original_language
        for question in questions:
            answer = given.get(question.pk)
            row.append(_safe(answer_text(answer, original=original) if answer else ""))
        yield row


def csv_response(queryset) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registrations.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    for row in export_rows(queryset):
        writer.writerow(row)
    return response


def excel_response(queryset) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Registrations"))
    for row in export_rows(queryset):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="registrations.xlsx"'
    return response
