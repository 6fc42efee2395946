"""Benchmark of the PDFs: cold rendering against WeasyPrint alone, and warm (stored) downloads.

    .venv/bin/python bench/pdf_render.py [--runs 7] [--big-runs 2] [--scale 10] [--requests 200]
                                         [--language en]

Builds a throwaway database (`bench_pdf`) with the seed event and a generated event `--scale`
times its size, then for each document:

- **cold render**: a fresh process renders it through our service (data, fingerprint, template,
  WeasyPrint with the safe fetcher, storage) with nothing stored; another fresh process has
  WeasyPrint alone render the very same HTML (default fetcher, stylesheets from disk). Both
  processes first import WeasyPrint and render a one-line page (fonts, Pango), and ours loads
  Django's template engine, as a running worker has. Median and minimum wall time of `--runs`
  (`--big-runs` for the generated book) interleaved pairs of processes; peak resident memory
  of the process during the render (VmHWM, reset just before) and its growth over the memory
  resident before.
  Target: ours at most 1.1 × WeasyPrint alone.
- **warm download**: median latency of `--requests` anonymous GETs through Django's test client
  (whole middleware stack) of the stored PDF, against the cached agenda page. Target: at most
  1.5 × the agenda page.

Every document is the one in `--language` (each language is stored apart; English by default).
Nothing is fetched over the network; WeasyPrint is imported in the child processes only.
"""

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "bench_pdf"


def _django(db_name: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idm_seminar.settings")
    os.environ["DATABASE_TEST_NAME"] = DB_NAME
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    if db_name:
        from django.db import connections

        connections["default"].settings_dict["NAME"] = db_name


# --- Child processes -----------------------------------------------------------------------------


WARM_UP_HTML = "<html lang=en><title>warm-up</title><p>Warm-up: fonts and layout.</p></html>"


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    """Start measuring the peak resident memory afresh; returns the resident memory now."""
    Path("/proc/self/clear_refs").write_text("5")
    return _rss_kb("VmRSS")


def _warm_up_weasyprint() -> None:
    """What a worker that has rendered anything before has loaded: fonts, Pango, the UA CSS."""
    import weasyprint

    weasyprint.HTML(string=WARM_UP_HTML).write_pdf()


def child_ours(kind: str, object_id: int, event_id: int, language: str) -> dict:
    _django(DB_NAME)
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import translation

    from agenda.models import Event, Person, Session
    from documents import pdf
    from documents import services as document_services
    from documents.models import RenderedDocument
    from proceedings import services as proceedings_services

    _warm_up_weasyprint()
    with translation.override("en"):  # a worker has served a page: templates engine, catalogs
        render_to_string("pdf/base.html", {})
    RenderedDocument.objects.all().delete()
    cache.clear()
    pdf.local_documents.clear()
    event = Event.objects.get(pk=event_id)
    before = _reset_peak()
    started = time.perf_counter()
    if kind == "session_paper":
        document = document_services.render_session_paper(
            Session.objects.get(pk=object_id), language=language
        )
    elif kind == "programme":
        document = document_services.render_programme(event, language=language)
    elif kind == "speaker_brief":
        document = document_services.render_speaker_brief(
            Person.objects.get(pk=object_id), event=event, language=language
        )
    else:
        document = proceedings_services.render_proceedings(event, language=language)
    seconds = time.perf_counter() - started
    peak = _rss_kb("VmHWM")
    return {"seconds": seconds, "peak_kb": peak, "delta_kb": peak - before,
            "pages": document.pages, "weasyprint_seconds": document.render_seconds}  # fmt: skip


def child_weasyprint(html_path: str) -> dict:
    import weasyprint

    _warm_up_weasyprint()
    html = Path(html_path).read_text()
    static = (ROOT / "static").as_uri() + "/"
    html = html.replace('href="/static/', f'href="{static}')
    fetcher = weasyprint.URLFetcher()  # built before the clock: not a cost of rendering
    before = _reset_peak()
    started = time.perf_counter()
    document = weasyprint.HTML(
        string=html, base_url=ROOT.as_uri() + "/", url_fetcher=fetcher
    ).render(pdf_variant="pdf/ua-1")
    document.write_pdf(pdf_variant="pdf/ua-1")
    seconds = time.perf_counter() - started
    peak = _rss_kb("VmHWM")
    return {"seconds": seconds, "peak_kb": peak, "delta_kb": peak - before,
            "pages": len(document.pages)}  # fmt: skip


def run_child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "LOG_LEVEL": "ERROR", "DEBUG": "false"},  # as in production
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- The benchmark -------------------------------------------------------------------------------


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big-runs", type=int, default=2)
    parser.add_argument("--scale", type=int, default=10, help="0: no generated event")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--language", choices=["en", "fr", "es"], default="en")
    options = parser.parse_args()
    language = options.language

    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # one line per task otherwise
    setup_test_environment(debug=False)  # as in production: templates' version computed once
    settings.ALLOWED_HOSTS = ["testserver"]
    old = setup_databases(verbosity=0, interactive=False, aliases=["default"])
    try:
        from agenda import services
        from agenda.models import Event
        from devtools import demo
        from documents import pdf
        from documents import services as document_services
        from proceedings import services as proceedings_services

        call_command("load_seed_event", verbosity=0)
        seed = Event.objects.get(slug="migration-and-human-resources-for-health")
        big = demo.generate_event(scale=options.scale, slug="bench-demo") if options.scale else None
        session = seed.sessions.filter(background_paper__isnull=False).order_by("number").first()
        speaker = (
            services.people_with_roles(seed)
            .filter(speaker_links__presentation__item__session=session)
            .first()
        )
        documents = [
            ("session paper (seed, session I)", "session_paper", session.pk, seed,
             document_services.session_paper_spec(session, language=language)),
            ("programme (seed)", "programme", 0, seed,
             document_services.programme_spec(seed, language=language)),
            ("speaker brief (seed)", "speaker_brief", speaker.pk, seed,
             document_services.speaker_brief_spec(speaker, event=seed, language=language)),
            ("proceedings (seed)", "proceedings", 0, seed,
             proceedings_services.proceedings_spec(seed, language=language)),
        ]  # fmt: skip
        if big is not None:
            documents.append((f"proceedings (generated, scale {options.scale})", "proceedings",
                              0, big, proceedings_services.proceedings_spec(
                                  big, language=language)))  # fmt: skip
        print(f"Documents in {language}.")
        print("Cold render (nothing stored), fresh processes, ours and WeasyPrint alone "
              "interleaved; seconds as median and minimum;")  # fmt: skip
        print("overhead = our time outside WeasyPrint within our runs (data, fingerprint, HTML, "
              "storage), in-run = our whole call over its WeasyPrint part;")  # fmt: skip
        print("MB = peak RSS during the render (median), +MB = its growth over the RSS before")
        header = f"{'document':40} {'pages':>5} {'runs':>4} {'ours s':>7} {'alone s':>7} "
        header += f"{'ratio':>5} {'ours min':>8} {'alone min':>9} {'ratio':>5} "
        header += f"{'overhead':>8} {'in-run':>6} "
        header += f"{'ours MB':>7} {'alone MB':>8} {'ours +MB':>8} {'alone +MB':>9}"
        print(header)
        for label, kind, object_id, event, spec in documents:
            html = pdf.render_html(spec.template, spec.content(), language=spec.language)
            with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as handle:
                handle.write(html)
            runs = options.big_runs if event == big else options.runs
            ours, alone = [], []
            for _ in range(runs):  # interleaved, so that load on the machine hits both
                ours.append(run_child("ours", kind, str(object_id), str(event.pk), language))
                alone.append(run_child("weasyprint", handle.name))
            os.unlink(handle.name)
            ours_s, alone_s = median_of(ours, "seconds"), median_of(alone, "seconds")
            ours_min = min(run["seconds"] for run in ours)
            alone_min = min(run["seconds"] for run in alone)
            # Within each of our runs: everything but WeasyPrint (data, fingerprint, template,
            # storage), and the whole service call over WeasyPrint's part of it.
            overhead_ms = statistics.median(
                (run["seconds"] - run["weasyprint_seconds"]) * 1000 for run in ours
            )
            in_run = statistics.median(run["seconds"] / run["weasyprint_seconds"] for run in ours)
            print(
                f"{label:40} {ours[0]['pages']:>5} {runs:>4} {ours_s:>7.2f} {alone_s:>7.2f} "
                f"{ours_s / alone_s:>5.2f} {ours_min:>8.2f} {alone_min:>9.2f} "
                f"{ours_min / alone_min:>5.2f} {overhead_ms:>6.0f}ms {in_run:>6.2f} "
                f"{median_of(ours, 'peak_kb') / 1024:>7.0f} "
                f"{median_of(alone, 'peak_kb') / 1024:>8.0f} "
                f"{median_of(ours, 'delta_kb') / 1024:>8.0f} "
                f"{median_of(alone, 'delta_kb') / 1024:>9.0f}",
                flush=True,
            )

        warm = warm_downloads(seed, session, options.requests, language=language)
        print(f"\nWarm downloads, median of {options.requests} anonymous GETs (test client)")
        agenda_ms = warm.pop("agenda page (cached HTML)")
        print(f"{'agenda page (cached HTML)':44} {agenda_ms:8.2f} ms")
        for label, ms in warm.items():
            print(f"{label:44} {ms:8.2f} ms   {ms / agenda_ms:5.2f} × agenda page")
    finally:
        teardown_databases(old, verbosity=0)
    return 0


def warm_downloads(seed, session, requests: int, *, language: str) -> dict[str, float]:
    from django.test import Client
    from django.utils import translation

    from proceedings import services as proceedings_services

    # Readers never render the book (issue 9).
    proceedings_services.render_proceedings(seed, language=language)
    client = Client()
    with translation.override(language):  # the addresses of the documents in that language
        urls = _warm_urls(seed, session)
    medians = {}
    for label, url in urls.items():
        for _ in range(5):  # fill caches and storage
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        medians[label] = statistics.median(timings)
    return medians


def _warm_urls(seed, session) -> dict[str, str]:
    from django.urls import reverse

    return {
        "agenda page (cached HTML)": reverse("agenda:agenda", kwargs={"event": seed.slug}),
        "session paper PDF (stored)": reverse(
            "documents:session-paper-pdf", kwargs={"event": seed.slug, "session": session.slug}
        ),
        "programme PDF (stored)": reverse("documents:programme-pdf", kwargs={"event": seed.slug}),
        "proceedings PDF (stored)": reverse("proceedings:pdf", kwargs={"event": seed.slug}),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        if sys.argv[2] == "ours":
            kind, object_id, event_id, language = sys.argv[3:7]
            print(json.dumps(child_ours(kind, int(object_id), int(event_id), language)))
        else:
            print(json.dumps(child_weasyprint(sys.argv[3])))
        sys.exit(0)
    sys.exit(main())
