"""Every response carries the site's Content-Security-Policy, and no template of a page needs an
inline script, style or event handler that the policy would block. The browser test
(tests/browser/test_content_security_policy.py) checks that Chromium reports no violation."""

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from idm_seminar.admin import HISTORY_PAGINATOR_STYLE
from tests.test_operations import run_django

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
INLINE = re.compile(
    r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)


def test_public_pages_carry_the_policy_when_rendered_and_when_cached(client, seed_event):
    url = reverse("agenda:agenda", args=[seed_event.slug])

    rendered = client.get(url)
    cached = client.get(url)

    assert rendered.status_code == cached.status_code == 200
    assert rendered["Content-Security-Policy"] == cached["Content-Security-Policy"] == POLICY


def test_admin_pages_carry_the_policy_with_only_the_history_paginator_style(
    admin_client, seed_event
):
    session = seed_event.sessions.order_by("number").first()

    login = Client().get(reverse("admin:login"))
    history = admin_client.get(reverse("admin:agenda_session_history", args=[session.pk]))

    assert login["Content-Security-Policy"] == POLICY
    assert history["Content-Security-Policy"] == (
        f"{POLICY}; style-src-attr 'unsafe-hashes' {HISTORY_PAGINATOR_STYLE}"
    )


def test_the_outage_page_carries_the_policy():
    result = run_django(
        "from django.test import Client\n"
        "response = Client().get('/')\n"
        "print(response.status_code, response['Content-Security-Policy'])\n"
        "print(b'style=' in response.content, b'css/error-page.css' in response.content)\n",
        DATABASE_URL="postgres://idm@/idm?host=/nonexistent-socket-dir",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"503 {POLICY}", "False True"]


def test_page_templates_have_no_inline_script_style_or_handler():
    # PDFs are rendered by WeasyPrint, which the policy does not concern.
    pages = [path for path in TEMPLATES.rglob("*.html") if "pdf" not in path.parts]

    inline = {str(path.relative_to(TEMPLATES)): INLINE.findall(path.read_text()) for path in pages}

    assert len(pages) > 30
    assert {name: found for name, found in inline.items() if found} == {}
