"""A focal point's journey in Chromium (issue 11): a Permanent Mission's focal point registers a
three-person delegation with its Note Verbale; each member confirms their own address from
their e-mail; the focal point replaces one member from the link they were mailed; the
replacement confirms; an organizer approves the delegation in the admin; every member has a
seat and the counts by country and category are right. E-mails are read from the mail folder.
Screenshots go to /tmp/shots/i11/b/."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils import timezone

from registration.models import (
    ApprovalRule,
    NominationKind,
    ParticipantCategory,
    Question,
    Registration,
)
from tests.browser.support import SHOTS, inbox
from tests.delegation_factories import PDF_BYTES
from tests.factories import EventFactory
from tests.registration_factories import RegistrationSettingsFactory

SHOTS_B = SHOTS / "i11" / "b"
PASSWORD = "a-long-organizer-password"
MEMBERS = [
    ("H.E.", "Kwame", "Asante", "Ambassador, Permanent Representative", "kwame.asante@example.org"),
    ("Ms.", "Abena", "Owusu", "Minister Counsellor", "abena.owusu@example.org"),
    ("Mr.", "Kofi", "Boateng", "First Secretary", "kofi.boateng@example.org"),
]


@pytest.fixture
def meeting(transactional_db, settings, live_server, django_user_model):
    settings.SITE_URL = live_server.url
    event = EventFactory(
        slug="idm-2030",
        title="International Dialogue on Migration 2030",
        start_date=timezone.localdate() + datetime.timedelta(days=40),
        end_date=timezone.localdate() + datetime.timedelta(days=41),
    )
    RegistrationSettingsFactory(event=event, capacity=50)
    category = ParticipantCategory.objects.create(
        event=event,
        name="Member State delegation",
        approval=ApprovalRule.ALWAYS,
        nomination=NominationKind.NOTE_VERBALE,
        registers_delegations=True,
    )
    ParticipantCategory.objects.create(event=event, name="Civil society", order=2)
    question = Question.objects.create(
        event=event, kind=Question.Kind.YES_NO, label="Will you speak in the general debate?"
    )
    question.categories.add(category)
    organizer = django_user_model.objects.create_user(
        "manager", "manager@example.org", PASSWORD, is_staff=True
    )
    # The role the organizers' migration made (organizers.roles), as a colleague is given it.
    organizer.groups.add(Group.objects.get(name="Registration manager"))
    return event, category


def watch_policy(page, violations: list[str]) -> None:
    """Collect the browser's reports of the Content-Security-Policy being violated."""
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def fill_member(page, row: int, member) -> None:
    honorific, first, last, position, email = member
    page.select_option(f"#id_members-{row}-honorific", honorific)
    page.fill(f"#id_members-{row}-first_name", first)
    page.fill(f"#id_members-{row}-last_name", last)
    page.fill(f"#id_members-{row}-position", position)
    page.fill(f"#id_members-{row}-email", email)


def confirm_from_mail(page, mail_folder, address: str) -> None:
    [mail] = inbox(mail_folder, address)
    assert "Ghana" in mail.text
    page.goto(mail.link_to("registration"))
    assert page.locator("#delegation-membership").is_visible()
    page.click("text=Confirm my registration")
    assert page.locator("#registration-status").get_attribute("data-status") == (
        "awaiting_approval"
    )


def test_focal_point_registers_delegation_members_confirm_and_organizer_approves(
    live_server, browser_page, meeting, mail_folder, tmp_path
):
    event, category = meeting
    SHOTS_B.mkdir(parents=True, exist_ok=True)
    note_verbale = tmp_path / "Note verbale GH-2030-17.pdf"
    note_verbale.write_bytes(PDF_BYTES)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    violations = []
    watch_policy(page, violations)

    # The focal point fills the delegation form: three members and the Note Verbale.
    page.goto(f"{live_server.url}/{event.slug}/register/delegation/{category.pk}/")
    assert page.locator("h1").inner_text() == "Register a delegation"
    page.fill("#id_organization", "Permanent Mission of Ghana to the United Nations in Geneva")
    page.select_option("#id_country", "GH")
    page.fill("#id_focal_point_name", "Ama Mensah")
    page.fill("#id_focal_point_position", "First Secretary")
    page.fill("#id_focal_point_email", "ama.mensah@example.org")
    page.fill("#id_focal_point_phone", "+41 22 919 04 20")
    page.set_input_files("#id_nomination", str(note_verbale))
    for row, member in enumerate(MEMBERS):
        fill_member(page, row, member)
    page.check("#id_consent_privacy")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Delegation registered"

    # Each member confirms their own address from their e-mail.
    for *_name, address in MEMBERS:
        confirm_from_mail(page, mail_folder, address)

    # The focal point opens their link and replaces the third member.
    [focal_mail] = inbox(mail_folder, "ama.mensah@example.org")
    assert focal_mail.subject == f"Your delegation is registered: {event.title}"
    page.goto(focal_mail.link_to("delegation"))
    assert page.locator("h1").inner_text() == "Your delegation"
    assert page.locator("#members li[data-state=awaiting_approval]").count() == 3
    page.locator("#members li", has_text="Kofi Boateng").get_by_role("link", name="Replace").click()
    page.select_option("#id_replace-honorific", "Ms.")
    page.fill("#id_replace-first_name", "Efua")
    page.fill("#id_replace-last_name", "Darko")
    page.fill("#id_replace-position", "Attaché")
    page.fill("#id_replace-email", "efua.darko@example.org")
    page.click("text=Replace the member")
    assert (
        page.locator("#members li[data-email='kofi.boateng@example.org']").get_attribute(
            "data-state"
        )
        == "withdrawn"
    )
    assert (
        page.locator("#members li[data-email='efua.darko@example.org']").get_attribute("data-state")
        == "pending"
    )
    page.screenshot(path=SHOTS_B / "journey-focal-point-after-replacement.png", full_page=True)
    withdrawn = inbox(mail_folder, "kofi.boateng@example.org")[-1]
    assert withdrawn.subject == f"Withdrawn from the delegation: {event.title}"

    # The replacement confirms her address.
    confirm_from_mail(page, mail_folder, "efua.darko@example.org")

    # The head of delegation manages his own details: he answers the organizers' question.
    page.goto(inbox(mail_folder, "kwame.asante@example.org")[-1].link_to("registration"))
    page.click("text=Change my details")
    page.select_option("#id_sector", "gov_foreign_affairs")
    page.get_by_label("Yes").check()
    page.click("text=Save my changes")
    assert "Your changes are saved." in page.locator("main").inner_text()
    assert "Will you speak in the general debate?" in page.locator("main").inner_text()

    # An organizer approves the delegation in the admin.
    admin = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    watch_policy(admin, violations)
    admin.goto(f"{live_server.url}/admin/")
    admin.fill("#id_username", "manager")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.goto(f"{live_server.url}/admin/registration/delegation/")
    assert "0 / 3" in admin.locator("#result_list").inner_text()
    admin.check("#result_list input[name=_selected_action]")
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    assert (
        "1 delegation approved (3 members approved now)"
        in admin.locator(".messagelist").inner_text()
    )
    assert "3 / 3" in admin.locator("#result_list").inner_text()
    admin.screenshot(path=SHOTS_B / "journey-admin-approved.png", full_page=True)

    # Every member has a seat, and their page says so.
    for address in [
        "kwame.asante@example.org",
        "abena.owusu@example.org",
        "efua.darko@example.org",
    ]:
        page.goto(inbox(mail_folder, address)[-1].link_to("registration"))
        assert page.locator("#registration-status").get_attribute("data-status") == "confirmed"
    members = Registration.objects.filter(event=event, delegation__isnull=False)
    assert dict(members.values_list("email", "status")) == {
        "kwame.asante@example.org": "confirmed",
        "abena.owusu@example.org": "confirmed",
        "kofi.boateng@example.org": "cancelled",
        "efua.darko@example.org": "confirmed",
    }
    counts = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .values_list("country", "category__name")
        .annotate(count=Count("pk"))
    )
    assert list(counts) == [("GH", "Member State delegation", 3)]

    # The event's counts by category and by country and category, on its registration page.
    admin.goto(f"{live_server.url}/admin/registration/registrationsettings/")
    admin.get_by_role("link", name=event.title).first.click()
    admin.locator("table.registration-counts").first.wait_for()
    tables = {
        table.locator("caption").text_content().strip(): [
            row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()
        ]
        for table in admin.locator("table.registration-counts").all()
    }
    assert tables["By category"] == [["Member State delegation", "3"], ["Civil society", "0"]]
    assert tables["By country and category"] == [["Ghana", "Member State delegation", "3"]]
    admin.screenshot(path=SHOTS_B / "journey-admin-counts.png", full_page=True)

    # The export has one column per question, with the head of delegation's answer.
    admin.goto(f"{live_server.url}/admin/registration/registration/?event__id__exact={event.pk}")
    admin.check("#action-toggle")
    admin.select_option("select[name=action]", "export_csv")
    with admin.expect_download() as download:
        admin.click("button[name=index]")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    header = rows[0]
    assert header.count("Will you speak in the general debate?") == 1
    answers = {row[header.index("e-mail")]: row[-1] for row in rows[1:]}
    assert answers == {
        "kwame.asante@example.org": "yes",
        "abena.owusu@example.org": "",
        "kofi.boateng@example.org": "",
        "efua.darko@example.org": "",
    }
    # Every page of the journey, the admin's included, worked under the site's policy.
    assert violations == []


def test_delegation_pages_at_two_widths_in_two_languages(
    live_server, browser_page, meeting, mail_folder, tmp_path
):
    from registration.services import delegations
    from tests.delegation_factories import delegation_details, member, pdf_upload

    event, category = meeting
    SHOTS_B.mkdir(parents=True, exist_ok=True)
    page = browser_page
    for language in ["en", "fr"]:
        delegation = delegations.register_delegation(
            event,
            category=category,
            details=delegation_details(focal_point_email=f"focal.{language}@example.org"),
            members=[
                member(f"{language}.{n}@example.org", days=event.days, first_name=name)
                for n, name in enumerate(["Kwame", "Abena", "Kofi"])
            ],
            nomination_upload=pdf_upload(),
            language=language,
        )
        for width in [1280, 390]:
            page.set_viewport_size({"width": width, "height": 900})
            prefix = "" if language == "en" else f"/{language}"
            page.goto(f"{live_server.url}{prefix}/{event.slug}/register/delegation/{category.pk}/")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(
                path=SHOTS_B / f"delegation-form-{language}-{width}.png", full_page=True
            )
            page.goto(f"{live_server.url}{delegation.get_absolute_url()}")
            assert page.locator("#members li").count() == 3
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=SHOTS_B / f"focal-point-{language}-{width}.png", full_page=True)

    # The organizers' list and page of delegations, in two languages.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    for language in ["en", "fr"]:
        prefix = "" if language == "en" else f"/{language}"
        for width in [1280, 390]:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}{prefix}/admin/registration/delegation/")
            assert page.locator("#result_list tbody tr").count() == 2
            page.screenshot(path=SHOTS_B / f"admin-delegations-{language}-{width}.png")
            page.goto(
                f"{live_server.url}{prefix}/admin/registration/delegation/{delegation.pk}/change/"
            )
            assert page.locator("a[href$='/nomination/']").count() == 1
            page.screenshot(
                path=SHOTS_B / f"admin-delegation-{language}-{width}.png", full_page=True
            )
