"""Page benchmark: the agenda, a session and a person page against a minimal Django view.

Serves the site with gunicorn (production settings, persistent database connections) on
loopback, loads each page with wrk (the agenda, a session and a person page, in English and in
French or Spanish), and reports requests/s and p50/p99 latency next to a minimal
view returning a fixed page of the agenda page's size, measured in the same run. Then checks that
an edit shows on the very next request.

Run: .venv/bin/python bench/pages.py  (after `make run` or `make test` set up the database)
Targets: each page >= 0.8x the minimal view's requests/s and p99 <= 2x its p99.
"""

import json
import os
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PRODUCTION_ENV, ROOT, gunicorn, manage, wrk

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def main() -> None:
    os.environ.update(PRODUCTION_ENV)
    manage("load_seed_event")
    import django

    django.setup()
    from django.db import transaction

    from agenda.models import Event, PresentationSpeaker

    event = Event.objects.get(slug="migration-and-human-resources-for-health")
    session = event.sessions.order_by("number").first()
    speaker = (
        PresentationSpeaker.objects.filter(presentation__item__event=event)
        .select_related("person")
        .first()
        .person
    )
    with gunicorn(workers=2) as base:
        pages = {
            "agenda": f"{base}/{event.slug}/agenda/",
            "session": f"{base}/{event.slug}/sessions/{session.slug}/",
            "person": f"{base}/{event.slug}/people/{speaker.slug}/",
            # The same pages in French and Spanish (issue 10: as fast in French).
            "agenda (fr)": f"{base}/fr/{event.slug}/agenda/",
            "session (es)": f"{base}/es/{event.slug}/sessions/{session.slug}/",
            "person (fr)": f"{base}/fr/{event.slug}/people/{speaker.slug}/",
        }
        size = len(fetch(pages["agenda"]))
        minimal = f"{base}/bench/minimal?size={size}"
        for url in [minimal, *pages.values()]:
            fetch(url)
        results = {"minimal (before)": wrk(minimal, seconds=SECONDS)}
        for name, url in pages.items():
            results[name] = wrk(url, seconds=SECONDS)
        results["minimal (after)"] = wrk(minimal, seconds=SECONDS)

        reference_rps = (results["minimal (before)"]["rps"] + results["minimal (after)"]["rps"]) / 2
        reference_p99 = max(results["minimal (before)"]["p99"], results["minimal (after)"]["p99"])

        original = session.title
        with transaction.atomic():
            session.title = original + " (edited by the benchmark)"
            session.save()
        edited = ("session", "session (es)")
        edit_visible = all(b"(edited by the benchmark)" in fetch(pages[name]) for name in edited)
        with transaction.atomic():
            session.title = original
            session.save()
        revert_visible = all(b"(edited by the benchmark)" not in fetch(pages[n]) for n in edited)

    print(f"page size {size} bytes; wrk -t1 -c8 -d{SECONDS}s; gunicorn, 2 workers, production")
    print(f"{'page':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'x rps':>8}{'x p99':>8}  target")
    verdicts = []
    for name, figures in results.items():
        rps_ratio = figures["rps"] / reference_rps
        p99_ratio = figures["p99"] / reference_p99
        target = ""
        if name in pages:
            ok = rps_ratio >= 0.8 and p99_ratio <= 2 and figures["errors"] == 0
            verdicts.append(ok)
            target = "met" if ok else "MISSED"
        print(
            f"{name:<18}{figures['rps']:>10.0f}{figures['p50']:>10.2f}{figures['p99']:>10.2f}"
            f"{rps_ratio:>8.2f}{p99_ratio:>8.2f}  {target}"
        )
    print(f"edit visible on the next request: {edit_visible}; revert visible: {revert_visible}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(
        json.dumps({"size": size, "results": results, "edit_visible": edit_visible}, indent=2)
    )
    if not (all(verdicts) and edit_visible and revert_visible):
        sys.exit(1)


if __name__ == "__main__":
    main()
