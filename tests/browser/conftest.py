"""Shared set-up of the browser journeys: Debian's Chromium driven by Playwright.

Every module here is marked `browser` and skipped, with the reason, where Chromium is missing;
CI installs it, so there they always run. Screenshots go to /tmp/shots/ for a person to look at.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.browser.support import CHROMIUM

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def mail_folder(tmp_path, settings):
    """The site's mail goes to files, as under `make run` (var/mail/); read them with `inbox`."""
    folder = tmp_path / "mail"
    folder.mkdir()
    settings.MAILERS = {
        "default": {
            "BACKEND": "idm_seminar.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    args = ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    if os.geteuid() == 0:
        args.insert(0, "--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        yield page
        browser.close()
        # Inside Playwright's context the ORM opened its own connection (Django keeps one per
        # context); close it here or it outlives the test and blocks dropping the test database.
        connections.close_all()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            for mark in BROWSER_MARKS:
                item.add_marker(mark)
