"""Validators of text that people type and the site prints: names, organizations, positions."""

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
