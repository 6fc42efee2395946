"""How the site writes dates that people read, on pages, in e-mails and in PDFs alike."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import pgettext


def date_range(start: datetime.date, end: datetime.date) -> str:
    """The days from `start` to `end` as people write them, in the active language.

    "23 March 2006" for one day, "23–24 March 2006" within a month, "30 March – 2 April 2006"
    within a year, "30 December 2006 – 2 January 2007" across years. The date patterns and the
    joining text are translatable, so that each language can write its own ("du 23 au
    24 mars 2006"); the month names come from Django's own catalogs.
    """
    if end < start:
        raise ValueError("a date range cannot end before it starts")
    if start == end:
        return date_format(start, pgettext("date range: a single day", "j F Y"))
    if (start.year, start.month) == (end.year, end.month):
        first = date_format(start, pgettext("date range: first day, same month", "j"))
    elif start.year == end.year:
        first = date_format(start, pgettext("date range: first day, same year", "j F"))
    else:
        first = date_format(start, pgettext("date range: first day, other year", "j F Y"))
    last = date_format(end, pgettext("date range: last day", "j F Y"))
    if (start.year, start.month) == (end.year, end.month):
        return pgettext("date range within a month", "{first}–{last}").format(
            first=first, last=last
        )
    return pgettext("date range across months", "{first} – {last}").format(first=first, last=last)


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
