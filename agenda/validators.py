"""Validators of text that people type and the site prints: names, organizations, positions."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters that reorder the text around them without being seen (Unicode bidirectional
# embeddings, overrides and isolates, and the direction marks): in a name they can make a list,
# a badge or an export show something else than what was typed ("Trojan Source").
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
)


def validate_no_bidi_controls(value: str) -> None:
    """Refuse the invisible characters that change the direction of the text around them.

    Right-to-left scripts (Arabic, Hebrew, ...) need none of them: their letters carry their
    direction themselves.
    """
    found = sorted({f"U+{ord(ch):04X}" for ch in value or "" if ch in BIDI_CONTROLS})
    if found:
        raise ValidationError(
            _(
                "Remove the invisible text-direction characters (%(characters)s): they can make "
                "the text print differently from what you typed."
            ),
            code="bidi_control_characters",
            params={"characters": ", ".join(found)},
        )


ISSN_FORMAT = re.compile(r"\d{4}-\d{3}[\dXx]")


def issn_check_digit(first_seven: str) -> str:
    """The ISSN check digit of the first seven digits (ISO 3297, modulus 11)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True)
    )
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def validate_issn(value: str) -> None:
    """Refuse anything but a well-formed ISSN ("1726-2224") whose check digit is right."""
    if not ISSN_FORMAT.fullmatch(value or ""):
        raise ValidationError(
            _("An ISSN is written as two groups of four characters, like 1726-2224."),
            code="issn_format",
        )
    digits = value.replace("-", "")
    if issn_check_digit(digits[:7]) != digits[7].upper():
        raise ValidationError(
            _("%(issn)s is not a valid ISSN: its check digit should be %(digit)s."),
            code="issn_check_digit",
            params={"issn": value, "digit": issn_check_digit(digits[:7])},
        )
