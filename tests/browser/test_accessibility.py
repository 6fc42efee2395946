"""Every public page of the seed event in Chromium, in English, French and Spanish: no axe-core
violation, form controls that stand out from the page, nothing wider than a phone, <html lang>
the address's language. Screenshots of each page at 1280 and 390 px go to /tmp/shots/looks/
for a person to look at."""

import datetime
import json
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse, translate_url
from django.utils import timezone, translation

from registration import services
from registration.models import BreakoutGroup, Question, QuestionOption
from registration.services import delegations
from tests.browser.support import SHOTS
from tests.delegation_factories import (
    DelegationCategoryFactory,
    delegation_details,
    member,
    pdf_upload,
)
from tests.factories import EventFactory
from tests.questions_factories import CategoryFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

WIDTHS = (1280, 390)
SCREENSHOTS = SHOTS / "looks"

# The smallest contrast of a form control's border against the page, sRGB colours in JavaScript
# (WCAG 1.4.11: 3:1).
BORDER_CONTRASTS = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const page = luminance(getComputedStyle(document.body).backgroundColor);
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]), select, textarea");
  return [...controls].filter((c) => c.offsetParent !== null).map((c) => {
    const border = luminance(getComputedStyle(c).borderTopColor);
    const [light, dark] = [Math.max(page, border), Math.min(page, border)];
    return {name: c.name, type: c.type, contrast: (light + 0.05) / (dark + 0.05)};
  });
}"""


@pytest.fixture
def open_event(transactional_db):
    """An upcoming event whose registration is open, so that its form can be scanned."""
    event = EventFactory(
        slug="idm-2030",
        title="Partnerships in Migration: Engaging Business and Civil Society",
        start_date=datetime.date(2030, 3, 30),
        end_date=datetime.date(2030, 4, 2),
        venue="International Conference Centre",
    )
    RegistrationSettingsFactory(
        event=event,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=20),
        public_list_enabled=True,
    )
    participant = RegistrationFactory(
        event=event, consent_public_list=True, first_name="Amina", last_name="Diallo"
    )
    services.confirm_registration(participant)
    BreakoutGroup.objects.create(event=event, name="Partnerships with business", order=1, seats=1)
    return event


@pytest.fixture
def categories(open_event, settings, tmp_path):
    """The open event's categories: an individual one asking a nomination letter and a question
    of every kind (one option full), and a delegation one with a registered delegation."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    igo = CategoryFactory(
        event=open_event,
        name="Intergovernmental organization",
        description="Staff of intergovernmental organizations.",
        nomination="nomination_letter",
    )
    for order, kind in enumerate(Question.Kind.values):
        question = Question.objects.create(
            event=open_event, kind=kind, label=f"Question ({kind})", order=order
        )
        question.categories.set([igo])
        if question.has_options:
            QuestionOption.objects.create(question=question, label="Port visit", order=1)
            QuestionOption.objects.create(question=question, label="Clinic visit", order=2)
    states = DelegationCategoryFactory(event=open_event, name="Member State delegation")
    delegation = delegations.register_delegation(
        open_event,
        category=states,
        details=delegation_details(),
        members=[
            member("kofi@example.org", days=open_event.days),
            member("abena@example.org", days=open_event.days, first_name="Abena"),
        ],
        nomination_upload=pdf_upload(),
        language="en",
    )
    return igo, states, delegation


def links_under(page, prefix: str) -> list[str]:
    """Paths of the page's links that start with `prefix` and go one level below it."""
    paths = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for address in paths:
        path = urlsplit(address).path
        rest = path.removeprefix(prefix)
        if path.startswith(prefix) and rest.count("/") == 1 and rest.endswith("/"):
            found.append(path)
    return sorted(set(found))


def violations_text(results) -> str:
    lines = []
    for violation in results.response["violations"]:
        targets = [json.dumps(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_public_pages_pass_axe_and_fit_a_phone(
    live_server, browser_page, transactional_db, seed_event, open_event, categories, language
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    slug = seed_event.slug
    pages = {
        "home": "/",
        "events": reverse("agenda:event-list"),
        "event": seed_event.get_absolute_url(),
        "agenda": reverse("agenda:agenda", args=[slug]),
        "people": reverse("agenda:person-list", args=[slug]),
        "documents": reverse("agenda:document-list", args=[slug]),
        "publication": reverse("proceedings:publication", args=[slug]),
        "registration-closed": reverse("registration:register", args=[slug]),
        "link-request": reverse("registration:request-link", args=[slug]),
        "privacy": reverse("registration:privacy", args=[slug]),
        "participants": reverse("registration:participant-list", args=[open_event.slug]),
        "registration-categories": reverse("registration:register", args=[open_event.slug]),
        "not-found": "/no-such-page/",
    }
    igo, states, delegation = categories
    # The signed-link pages are in their owner's language, whatever the address: scanned once.
    if language == "en":
        member_page = delegation.members.get(email="abena@example.org").get_absolute_url()
        pages |= {
            "registration-form": reverse(
                "registration:register-category", args=[open_event.slug, igo.pk]
            ),
            "delegation-form": reverse(
                "registration:delegation-register", args=[open_event.slug, states.pk]
            ),
            "focal-point": delegation.get_absolute_url(),
            "delegation-member": member_page,
        }
    else:
        pages |= {
            "registration-form": reverse(
                "registration:register-category", args=[open_event.slug, igo.pk]
            ),
            "delegation-form": reverse(
                "registration:delegation-register", args=[open_event.slug, states.pk]
            ),
        }
    page.goto(live_server.url + pages["agenda"])
    sessions = links_under(page, f"/{slug}/sessions/")
    page.goto(live_server.url + pages["people"])
    people = links_under(page, f"/{slug}/people/")
    assert len(sessions) == seed_event.sessions.count()
    assert len(people) > 20
    pages |= {f"session-{path.split('/')[-2]}": path for path in sessions}
    pages |= {f"person-{path.split('/')[-2]}": path for path in people}
    with translation.override("en"):  # each page at its address in the language scanned
        pages = {name: translate_url(path, language) for name, path in pages.items()}
    pages["not-found"] = "/no-such-page/" if language == "en" else f"/{language}/no-such-page/"
    axe = Axe()
    failures, narrow, weak_borders = {}, {}, {}
    controls_checked = 0

    for name, path in pages.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "not-found" else 200), name
            page.screenshot(path=SCREENSHOTS / f"{name}-{language}-{width}.png", full_page=True)
            assert page.get_attribute("html", "lang") == language, (name, language)
            if width == WIDTHS[0]:
                results = axe.run(page)
                if results.violations_count:
                    failures[name] = violations_text(results)
                controls = page.evaluate(BORDER_CONTRASTS)
                controls_checked += len(controls)
                weak = [c for c in controls if c["contrast"] < 3]
                if weak:
                    weak_borders[name] = weak
            # Nothing wider than the window, at either width (a longer French or Spanish menu
            # once pushed the 1280 px page wider).
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                narrow[f"{name} at {width}"] = overflow

    report = "\n".join(f"{name}:\n{text}" for name, text in failures.items())
    assert not failures, f"axe-core violations on {len(failures)} pages:\n{report}"
    # The registration form's visible fields and checkboxes at least (the honeypot is hidden).
    assert controls_checked >= 15
    assert not weak_borders, f"form control borders under 3:1: {weak_borders}"
    assert not narrow, f"pages wider than the window (extra px): {narrow}"
