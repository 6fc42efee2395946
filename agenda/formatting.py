"""How the site writes dates that people read, on pages, in e-mails and in PDFs alike.

Every format of a day lives here, per language, so that a page, an e-mail and a PDF in Spanish all
write "jueves, 23 de marzo de 2006" and none writes "jueves 23 marzo 2006". Month and weekday
names come from Django's own catalogs; the order of the parts and the words between them ("de")
are ours, and are not left to translators: a date pattern mistyped in a catalog would print
nonsense on every page.

Call these with the language active (a request's, or `translation.override(code)` in a task).
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format

from agenda.content import interface_language


@dataclass(frozen=True)
class DayFormats:
    """The patterns (those of Django's `date` filter) one language writes days with."""

    long_day: str  # documents and e-mails: "Thursday, 23 March 2006"
    agenda_day: str  # headings of the agenda's days on pages: "Thursday 23 March 2006"
    weekday_and_day: str  # the agenda's day links, where the year is known: "Thursday 23 March"
    day_month_year: str  # "23 March 2006"
    day_month: str  # first day of a range within a year: "30 March"
    day: str  # first day of a range within a month: "23"


DAY_FORMATS: dict[str, DayFormats] = {
    "en": DayFormats(
        long_day="l, j F Y",
        agenda_day="l j F Y",
        weekday_and_day="l j F",
        day_month_year="j F Y",
        day_month="j F",
        day="j",
    ),
    "fr": DayFormats(
        long_day="l j F Y",
        agenda_day="l j F Y",
        weekday_and_day="l j F",
        day_month_year="j F Y",
        day_month="j F",
        day="j",
    ),
    "es": DayFormats(
        long_day=r"l, j \d\e F \d\e Y",
        agenda_day=r"l, j \d\e F \d\e Y",
        weekday_and_day=r"l, j \d\e F",
        day_month_year=r"j \d\e F \d\e Y",
        day_month=r"j \d\e F",
        day="j",
    ),
}


def day_formats() -> DayFormats:
    """The formats of the active language (English for a language the site does not have)."""
    return DAY_FORMATS.get(interface_language(), DAY_FORMATS["en"])


def long_day(day: datetime.date) -> str:
    """The weekday and the full date, as documents and e-mails head a day.

    en "Thursday, 23 March 2006"; fr "jeudi 23 mars 2006"; es "jueves, 23 de marzo de 2006".
    """
    return date_format(day, day_formats().long_day)


def agenda_day(day: datetime.date) -> str:
    """The weekday and the full date as the agenda's pages head a day (English pages write it
    without a comma, as they always have).

    en "Thursday 23 March 2006"; fr "jeudi 23 mars 2006"; es "jueves, 23 de marzo de 2006".
    """
    return date_format(day, day_formats().agenda_day)


def weekday_and_day(day: datetime.date) -> str:
    """The weekday and the day of the month, where the year goes without saying.

    en "Thursday 23 March"; fr "jeudi 23 mars"; es "jueves, 23 de marzo".
    """
    return date_format(day, day_formats().weekday_and_day)


def day_month_year(day: datetime.date) -> str:
    """The date without the weekday.

    en "23 March 2006"; fr "23 mars 2006"; es "23 de marzo de 2006".
    """
    return date_format(day, day_formats().day_month_year)


def day_month_year_time(moment: datetime.datetime, *, zone: bool = False) -> str:
    """The date and the time of day, with the time zone's name when `zone` (the moment as
    given: convert it to local time first).

    en "20 December 2026, 06:34"; fr "20 décembre 2026, 06:34";
    es "20 de diciembre de 2026, 06:34".
    """
    return date_format(moment, day_formats().day_month_year + ", H:i" + (" T" if zone else ""))


def date_range(start: datetime.date, end: datetime.date) -> str:
    """The days from `start` to `end` as people write them, in the active language.

    "23 March 2006" for one day, "23–24 March 2006" within a month, "30 March – 2 April 2006"
    within a year, "30 December 2006 – 2 January 2007" across years; in French "23–24 mars 2006",
    in Spanish "23–24 de marzo de 2006" and "30 de marzo – 2 de abril de 2006".
    """
    if end < start:
        raise ValueError("a date range cannot end before it starts")
    formats = day_formats()
    last = date_format(end, formats.day_month_year)
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{date_format(start, formats.day)}–{last}"
    if start.year == end.year:
        return f"{date_format(start, formats.day_month)} – {last}"
    return f"{date_format(start, formats.day_month_year)} – {last}"


def same_title(first: str, second: str) -> bool:
    """Whether two titles read the same, so that printing both would repeat the words.

    An item whose only presentation has the item's own title ("Welcoming remarks") prints it once.
    """
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def repeats_item_title(presentation_title: str, *, item_title: str, presentations: int) -> bool:
    """Whether a presentation's title is left out because its item's printed title says it.

    The rule of every page and PDF: an item whose only presentation (`presentations` is how many
    the item has) bears the item's own title prints that title once, as the item's.
    """
    return presentations == 1 and same_title(presentation_title, item_title)
