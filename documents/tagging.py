"""The language of each passage in the PDF's structure tree, not only of the whole document.

A French programme prints an English title where no French one was written, and its HTML says
so (`<span lang="en">`). WeasyPrint writes the document's language (`<html lang>`) to the PDF's
catalog (/Lang) but none of the elements' own: a screen reader would read the English title
with a French voice. PDF gives every structure element an optional /Lang (ISO 32000-1,
14.9.2), which its descendants inherit; `install` has WeasyPrint write it for every element
whose `lang` differs from its parent's.

This wraps a private function of WeasyPrint's (`weasyprint.pdf.tags._build_box_tree`), which
builds one structure element per box. Should a release rename it, the wrapper is not installed
and the documents stay tagged as before, less the passages' languages; tests/test_pdf_languages
reads the structure tree back and fails, which is the signal to look here.
"""

import functools
import logging

import pydyf

logger = logging.getLogger(__name__)


def _element_language(box) -> str:
    """The `lang` of the box's own element, when the element is not the root (the catalog's)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return ""
    return element.get("lang") or ""


def _with_languages(build_box_tree):
    @functools.wraps(build_box_tree)
    def build(box, parent, pdf, *args, **kwargs):
        language = _element_language(box)
        # Elements of nested boxes come through here after their own call has tagged them, so
        # an inner passage keeps its language and an outer one only fills what is missing.
        for element in build_box_tree(box, parent, pdf, *args, **kwargs):
            if language and "Lang" not in element:
                element["Lang"] = pydyf.String(language)
            yield element

    build.with_languages = True
    return build


def install() -> bool:
    """Have WeasyPrint tag each passage with its language (once per process). Returns whether
    the tagging is in place."""
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        logger.warning("WeasyPrint has no _build_box_tree: passages' languages are not tagged")
        return False
    if not getattr(build, "with_languages", False):
        tags._build_box_tree = _with_languages(build)
    return True
