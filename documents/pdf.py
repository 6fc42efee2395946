"""Render the seminar's documents to PDF with WeasyPrint, safely, and keep what was rendered.

Two concerns live here, and nothing about which data goes into which document (that is
documents.services) or how files are loaded (documents.fetcher, the safe URL fetcher):

- **Fingerprints.** A document's fingerprint is the hash of the plain data its template renders
  plus the version of the PDF templates and print stylesheets. Equal fingerprints mean equal PDFs.
- **Storage.** The last rendering of each document is stored in the database
  (`RenderedDocument`), shared by every process, and served again while its fingerprint holds.

WeasyPrint takes about a second to import, so it is imported inside the functions that use it:
page views never pay for it.
"""

import functools
import gc
import hashlib
import importlib.metadata
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agenda.models import Event
from documents.fetcher import base_url, safe_url_fetcher
from documents.models import RenderedDocument
from idm_seminar.pagecache import content_version

logger = logging.getLogger(__name__)

PDF_TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "pdf"
PDF_STYLESHEET_DIR = Path(settings.BASE_DIR) / "static" / "css"


# --- Fingerprints --------------------------------------------------------------------------------


def _template_version() -> str:
    digest = hashlib.sha256(importlib.metadata.version("weasyprint").encode())
    files = sorted(PDF_TEMPLATE_DIR.rglob("*.html")) + sorted(PDF_STYLESHEET_DIR.glob("pdf*.css"))
    for path in files:
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_cached_template_version = functools.cache(_template_version)


def template_version() -> str:
    """Hash of the PDF templates, print stylesheets and WeasyPrint's version.

    Cached for the life of the process, except in DEBUG where templates are edited live.
    """
    return _template_version() if settings.DEBUG else _cached_template_version()


def fingerprint(kind: str, content: dict[str, Any]) -> str:
    """The fingerprint of a document made of `content` (plain data) by the current templates."""
    payload = json.dumps(
        [kind, template_version(), content], sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Rendering -----------------------------------------------------------------------------------


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    seconds: float
    fetched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def html_to_pdf(html: str) -> RenderedPdf:
    """Render HTML to a tagged PDF (PDF/UA-1, fonts embedded) with the safe fetcher.

    The one place that calls WeasyPrint: tests count renderings by watching it.
    """
    from weasyprint import HTML

    from documents import tagging  # imports WeasyPrint's PDF writer: here, not at start-up

    tagging.install()
    started = time.perf_counter()
    fetcher = safe_url_fetcher()
    # WeasyPrint allocates millions of short-lived objects; without this, every full collection
    # during the render would also walk the whole Django process (models, templates, modules),
    # which makes WeasyPrint up to half again slower here than alone. The objects are handed
    # back to the collector as soon as the render ends.
    gc.freeze()
    try:
        document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render(
            pdf_variant="pdf/ua-1"
        )
        content = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        gc.unfreeze()
    return RenderedPdf(
        content=content,
        pages=len(document.pages),
        seconds=time.perf_counter() - started,
        fetched=fetcher.fetched,
        refused=fetcher.refused,
    )


def render_html(template_name: str, content: dict[str, Any], *, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string(template_name, content)


# --- Storage -------------------------------------------------------------------------------------


@dataclass
class DocumentSpec:
    """Which document, in which language, from which template, with which content.

    A document is stored once per language (`language`: the interface's words, the organizers'
    texts chosen by agenda.content, dates and the PDF's /Lang). `build` returns the plain data
    (strings, numbers, lists, dicts) the template renders and nothing else, so its hash is the
    document's fingerprint. `extra_version` names state outside
    the agenda's content version that the document also depends on (the proceedings' list of
    consenting participants). A `background` document takes too long to render during a
    request: only the worker renders it (documents.background), requests get its last rendering.
    """

    event: Event
    kind: str
    key: str
    template: str
    build: Callable[[], dict[str, Any]]
    language: str = "en"
    extra_version: str = ""
    background: bool = False

    def __post_init__(self):
        if self.language not in dict(settings.LANGUAGES):
            raise ValueError(f"The site has no documents in {self.language!r}.")

    def versions(self, version: int | None = None) -> str:
        """Hash of everything outside the content that decides whether a check is still valid."""
        version = content_version() if version is None else version
        raw = f"{version}|{template_version()}|{self.extra_version}|{self.language}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def content(self) -> dict[str, Any]:
        """The data to print, in the document's language whatever the request's."""
        with translation.override(self.language):
            return self.build()

    @property
    def documents(self):
        return RenderedDocument.objects.filter(
            event=self.event, kind=self.kind, key=self.key, language=self.language
        )


@dataclass
class Current:
    """What the current version of a document is, before its bytes are loaded."""

    fingerprint: str
    document_id: int | None
    versions: str
    content: dict[str, Any] | None = None

    @property
    def is_stored(self) -> bool:
        """Whether the stored rendering is the current one."""
        return self.document_id is not None


def current_version(spec: DocumentSpec, *, version: int | None = None) -> Current:
    """The fingerprint of the document as it should be now, and the stored one if it matches.

    The one place that decides whether a stored PDF is current: views, the admin and the
    worker ask here and only serve, render or enqueue according to the answer.

    The stored row remembers the content and template versions at which its fingerprint was
    last found current: while they hold (no edit committed since), one small query answers.
    Otherwise the content is built and hashed, so an edit elsewhere in the event re-renders
    nothing whose data is unchanged.
    """
    versions = spec.versions(version)
    stored = spec.documents.values("pk", "fingerprint", "checked_versions").first()
    if stored and stored["fingerprint"] and stored["checked_versions"] == versions:
        return Current(stored["fingerprint"], stored["pk"], versions)
    content = spec.content()
    print_ = fingerprint(spec.kind, content)
    if stored and stored["fingerprint"] == print_:
        RenderedDocument.objects.filter(pk=stored["pk"], fingerprint=print_).update(
            checked_versions=versions
        )
        return Current(print_, stored["pk"], versions, content)
    return Current(print_, None, versions, content)


def stored_document(current: Current) -> RenderedDocument | None:
    """The stored rendering with its bytes, if it is the current one."""
    if current.document_id is None:
        return None
    return RenderedDocument.objects.filter(
        pk=current.document_id, fingerprint=current.fingerprint
    ).first()


def current_document(spec: DocumentSpec, current: Current) -> RenderedDocument | None:
    """The current rendering with its bytes: the stored one, or one rendered now; None for a
    document rendered in the background only, whose stored rendering is not current."""
    document = stored_document(current)
    if document is None and not spec.background:
        document = render_and_store(spec, current=current)
    return document


def last_rendering(spec: DocumentSpec) -> RenderedDocument | None:
    """The document as last rendered, current or not; None if it never was."""
    return spec.documents.exclude(fingerprint="").first()


def status(spec: DocumentSpec) -> tuple[RenderedDocument | None, bool]:
    """The document's row without its bytes (state, last rendering, error) and whether its
    rendering is current. Renders nothing."""
    current = current_version(spec)
    return spec.documents.defer("content").first(), current.is_stored


def render_and_store(spec: DocumentSpec, *, current: Current | None = None) -> RenderedDocument:
    """Render the document from its content now and store it, replacing the previous rendering.

    Rendering is not an edit of agenda content: RenderedDocument rows do not advance the content
    version (agenda.signals), so cached pages survive it.
    """
    if current is None or current.content is None:
        versions = spec.versions()
        content = spec.content()
        print_ = fingerprint(spec.kind, content)
    else:
        versions, content, print_ = current.versions, current.content, current.fingerprint
    try:
        rendered = html_to_pdf(render_html(spec.template, content, language=spec.language))
    except Exception as error:
        mark_state(spec, RenderedDocument.State.FAILED, error=repr(error)[:2000])
        raise
    document = _upsert(
        spec,
        fingerprint=print_,
        checked_versions=versions,
        content=rendered.content,
        pages=rendered.pages,
        rendered_at=timezone.now(),
        render_seconds=round(rendered.seconds, 3),
        state=RenderedDocument.State.READY,
        error="",
    )
    # What this rendering loaded and refused, for tests and the admin's curiosity.
    document.fetched_urls = rendered.fetched
    document.refused_urls = rendered.refused
    return document


def get_document(spec: DocumentSpec) -> RenderedDocument:
    """The document's current PDF: the stored one while its content is unchanged, else a new one."""
    current = current_version(spec)
    document = stored_document(current)
    if document is not None:
        return document
    return render_and_store(spec, current=current)


def mark_state(spec: DocumentSpec, state: str, *, error: str = "", **fields) -> RenderedDocument:
    """Record the progress of the document's rendering (and `fields` of the retries)."""
    return _upsert(spec, state=state, error=error, **fields)


def _upsert(spec: DocumentSpec, **fields) -> RenderedDocument:
    """Write these fields of the document's row, creating it if need be, in one statement."""
    document = RenderedDocument(
        event=spec.event, kind=spec.kind, key=spec.key, language=spec.language, **fields
    )
    RenderedDocument.objects.bulk_create(
        [document],
        update_conflicts=True,
        unique_fields=["event", "kind", "key", "language"],
        update_fields=[*fields, "state_changed_at"],
    )
    return document


@dataclass(frozen=True)
class ServedPdf:
    fingerprint: str
    rendered_at: float | None
    content: bytes
    filename: str


class LocalDocuments:
    """A per-process LRU of public PDFs, by request and content version, bounded in bytes.

    Stored documents are served from the database; this saves even that query for the PDFs
    people download again and again (the programme on the first morning).
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.documents: OrderedDict[str, ServedPdf] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> ServedPdf | None:
        with self.lock:
            document = self.documents.get(key)
            if document is not None:
                self.documents.move_to_end(key)
            return document

    def put(self, key: str, document: ServedPdf) -> None:
        if len(document.content) > self.max_bytes // 4:
            return
        with self.lock:
            previous = self.documents.pop(key, None)
            if previous is not None:
                self.size -= len(previous.content)
            self.documents[key] = document
            self.size += len(document.content)
            while self.size > self.max_bytes:
                _key, evicted = self.documents.popitem(last=False)
                self.size -= len(evicted.content)

    def clear(self) -> None:
        with self.lock:
            self.documents.clear()
            self.size = 0


local_documents = LocalDocuments(32 * 1024 * 1024)


def local_key(path: str, *, version: int, extra: str = "") -> str:
    """The key of a request's PDF in memory. The path alone names the language under
    i18n_patterns (/fr/...), and the active language is part of the key all the same."""
    raw = f"{path}|{translation.get_language()}|{version}|{template_version()}|{extra}"
    return "agenda:pdf-local:" + hashlib.sha256(raw.encode()).hexdigest()


def pdf_filename(*parts: str) -> str:
    from django.utils.text import slugify

    return "-".join(slugify(part)[:60] for part in parts if part) + ".pdf"
