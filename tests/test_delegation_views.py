import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse, translate_url
from django.utils import timezone, translation

from outbox.models import Message
from registration import links
from registration.models import Delegation, Nomination, Registration, RegistrationSettings
from registration.services import delegations, registering
from tests.delegation_factories import (
    PDF_BYTES,
    PNG_BYTES,
    DelegationCategoryFactory,
    delegation_details,
    delegation_form_data,
    member,
    pdf_upload,
)
from tests.registration_factories import RegistrationFactory
from tests.test_request_body_limit import MB, post_declaring

Status = Registration.Status


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def category(db):
    return DelegationCategoryFactory()


def form_url(category) -> str:
    with translation.override("en"):
        return reverse(
            "registration:delegation-register",
            kwargs={"event": category.event.slug, "category": category.pk},
        )


def post_form(client, category, **overrides):
    data = delegation_form_data(category.event, **overrides)
    data.setdefault("nomination", pdf_upload())
    return client.post(form_url(category), data)


def make_delegation(category, language="en") -> Delegation:
    return delegations.register_delegation(
        category.event,
        category=category,
        details=delegation_details(),
        members=[member(f"m{n}@example.org") for n in range(3)],
        nomination_upload=pdf_upload(),
        language=language,
    )


def page_url(delegation, name="registration:delegation", **kwargs) -> str:
    with translation.override("en"):
        return reverse(
            name, kwargs={"event": delegation.event.slug, "token": delegation.token, **kwargs}
        )


def test_delegation_form_renders_ten_member_rows(client, category):
    response = client.get(form_url(category))

    assert response.status_code == 200
    assert response.content.decode().count('class="member-row') == 10
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_delegation_form_for_individual_category_is_404(client, category):
    category.registers_delegations = False
    category.save()

    assert client.get(form_url(category)).status_code == 404


def test_delegation_form_registers_three_members_and_redirects(client, category):
    response = post_form(client, category)

    assert response.status_code == 302
    assert response["Location"].endswith("/register/delegation/done/")
    delegation = Delegation.objects.get()
    assert delegation.members.count() == 3
    assert delegation.focal_point_phone == "+41229190420"
    page = client.get(delegation.get_absolute_url())
    assert "+41 22 919 04 20" in page.content.decode()
    assert delegation.members.get(is_head_of_delegation=True).email == "member0@example.org"


def test_delegation_form_taken_address_is_a_field_error_on_its_row(client, category):
    RegistrationFactory(event=category.event, email="member2@example.org")

    response = post_form(client, category)

    assert response.status_code == 200
    members = response.context["members"]
    assert members.forms[2].errors.as_data()["email"][0].code == "already_registered"
    assert Delegation.objects.count() == 0


def test_delegation_form_png_named_pdf_is_a_field_error(client, category):
    response = post_form(client, category, nomination=pdf_upload("note.pdf", PNG_BYTES))

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["nomination"][0].code == "not_pdf"
    assert Delegation.objects.count() == 0


def test_delegation_form_without_head_is_refused(client, category):
    response = post_form(client, category, members=0)

    assert response.status_code == 200
    assert response.context["members"].forms[0].errors.as_data()["email"][0].code == "required"
    assert Delegation.objects.count() == 0


def test_delegation_form_refuses_a_large_body_unread_but_takes_a_full_upload(
    client, category, settings
):
    too_large = settings.REGISTRATION_UPLOAD_MAX_BYTES + 128 * 1024

    refused = post_declaring(client, form_url(category), too_large)
    big_pdf = (
        PDF_BYTES[:-20]
        + b"%" * (settings.REGISTRATION_UPLOAD_MAX_BYTES - len(PDF_BYTES))
        + PDF_BYTES[-20:]
    )
    taken = post_form(client, category, nomination=pdf_upload("big.pdf", big_pdf))

    assert refused.status_code == 413
    assert "at most 5.1\xa0MB in one request" in refused.content.decode()
    assert len(big_pdf) == settings.REGISTRATION_UPLOAD_MAX_BYTES
    assert taken.status_code == 302
    assert Nomination.objects.get().size == settings.REGISTRATION_UPLOAD_MAX_BYTES


def test_other_forms_still_refuse_two_megabytes(client, category):
    with translation.override("en"):
        address = reverse("registration:register", kwargs={"event": category.event.slug})

    assert post_declaring(client, address, 2 * MB).status_code == 413


def test_focal_point_page_is_private_and_lists_members(client, category):
    delegation = make_delegation(category)

    response = client.get(page_url(delegation))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert [m.state for m in response.context["members"]] == ["pending"] * 3
    assert 'id="add-member-form"' in response.content.decode()


def test_focal_point_page_goes_to_their_language(client, category):
    delegation = make_delegation(category, language="fr")

    response = client.get(page_url(delegation))

    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == translate_url(page_url(delegation), "fr")


def test_focal_point_page_with_tampered_link_is_bad_link(client, category):
    delegation = make_delegation(category)
    with translation.override("en"):
        address = reverse(
            "registration:delegation",
            kwargs={"event": delegation.event.slug, "token": delegation.token + "x"},
        )

    response = client.get(address)

    assert response.status_code == 400


def test_registration_link_does_not_open_delegation_page(client, category):
    delegation = make_delegation(category)
    member_token = delegation.members.first().token
    with translation.override("en"):
        address = reverse(
            "registration:delegation",
            kwargs={"event": delegation.event.slug, "token": member_token},
        )

    assert client.get(address).status_code == 400


def test_focal_point_adds_a_member(client, category):
    delegation = make_delegation(category)

    response = client.post(
        page_url(delegation, "registration:delegation-add"),
        {
            "add-honorific": "Ms.",
            "add-first_name": "Efua",
            "add-last_name": "Boateng",
            "add-position": "Attaché",
            "add-email": "efua@example.org",
        },
    )

    assert response.status_code == 302
    added = delegation.members.get(email="efua@example.org")
    assert (added.status, added.is_head_of_delegation) == (Status.PENDING, False)


def test_focal_point_add_with_bad_email_shows_field_error(client, category):
    delegation = make_delegation(category)

    response = client.post(
        page_url(delegation, "registration:delegation-add"),
        {"add-first_name": "Efua", "add-last_name": "Boateng", "add-email": "m1@example.org"},
    )

    assert response.status_code == 400
    assert response.context["add_form"].errors.as_data()["email"][0].code == "already_registered"
    assert delegation.members.count() == 3


def test_focal_point_replaces_a_member(client, category):
    delegation = make_delegation(category)
    old = delegation.members.get(email="m1@example.org")

    response = client.post(
        page_url(delegation, "registration:delegation-replace", member=old.pk),
        {
            "replace-first_name": "Yaw",
            "replace-last_name": "Darko",
            "replace-email": "yaw@example.org",
        },
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Status.CANCELLED
    assert delegation.members.get(email="yaw@example.org").replaces == old


def test_focal_point_withdraws_a_member(client, category):
    delegation = make_delegation(category)
    other = delegation.members.get(email="m2@example.org")

    response = client.post(
        page_url(delegation, "registration:delegation-withdraw", member=other.pk)
    )

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Status.CANCELLED
    page = client.get(page_url(delegation))
    assert [m.state for m in page.context["members"]][-1] == "withdrawn"


def test_focal_point_replaces_nomination_refused_by_content(client, category):
    delegation = make_delegation(category)

    response = client.post(
        page_url(delegation, "registration:delegation-nomination"),
        {"nomination": pdf_upload("new.pdf", PNG_BYTES)},
    )

    assert response.status_code == 400
    assert response.context["nomination_form"].errors.as_data()["nomination"][0].code == "not_pdf"
    assert Nomination.objects.get().original_name == "note-verbale.pdf"


def test_focal_point_page_is_read_only_after_close(client, category):
    delegation = make_delegation(category)
    RegistrationSettings.objects.filter(event=category.event).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    other = delegation.members.get(email="m2@example.org")

    page = client.get(page_url(delegation))
    withdraw = client.post(
        page_url(delegation, "registration:delegation-withdraw", member=other.pk)
    )

    assert 'data-state="closed"' in page.content.decode()
    assert 'id="add-member-form"' not in page.content.decode()
    assert withdraw.status_code == 302
    other.refresh_from_db()
    assert other.status == Status.PENDING


def test_member_page_says_which_delegation(client, category):
    delegation = make_delegation(category)
    head = delegation.members.get(is_head_of_delegation=True)

    response = client.get(head.get_absolute_url())

    assert "head of the delegation of Permanent Mission of Ghana (Ghana)" in " ".join(
        response.content.decode().split()
    )


# The admin ------------------------------------------------------------------------------------


def test_admin_approves_delegation_with_action(client, organizer, category):
    delegation = make_delegation(category)
    for registration in delegation.members.all():
        registering.confirm_registration(registration)
    client.force_login(organizer)

    response = client.post(
        reverse("admin:registration_delegation_changelist"),
        {"action": "approve", "_selected_action": [delegation.pk]},
    )

    assert response.status_code == 302
    assert set(delegation.members.values_list("status", flat=True)) == {Status.CONFIRMED}
    listing = client.get(reverse("admin:registration_delegation_changelist"))
    assert "3 / 3" in listing.content.decode()


def test_admin_approve_action_needs_approve_permission(client, django_user_model, category):
    delegation = make_delegation(category)
    desk = django_user_model.objects.create_user(
        "desk", password="a-long-desk-password", is_staff=True
    )
    desk.user_permissions.add(Permission.objects.get(codename="view_delegation"))
    client.force_login(desk)

    listing = client.get(reverse("admin:registration_delegation_changelist"))
    response = client.post(
        reverse("admin:registration_delegation_changelist"),
        {"action": "approve", "_selected_action": [delegation.pk]},
    )

    assert listing.status_code == 200
    assert "Approve the selected delegations" not in listing.content.decode()
    assert Delegation.objects.get().approved_at is None
    assert response.status_code in (200, 302)


def test_admin_nomination_download_needs_permission(client, django_user_model, organizer, category):
    delegation = make_delegation(category)
    desk = django_user_model.objects.create_user(
        "desk", password="a-long-desk-password", is_staff=True
    )
    desk.user_permissions.add(Permission.objects.get(codename="view_delegation"))
    address = reverse("admin:registration_delegation_nomination", args=[delegation.pk])

    client.force_login(desk)
    refused = client.get(address)
    change = client.get(reverse("admin:registration_delegation_change", args=[delegation.pk]))
    client.force_login(organizer)
    allowed = client.get(address)

    assert refused.status_code == 403
    assert address not in change.content.decode()
    assert allowed.status_code == 200
    assert allowed["Content-Disposition"].startswith("attachment")
    assert b"".join(allowed.streaming_content).startswith(b"%PDF-")
    assert "no-store" in allowed["Cache-Control"]


def test_admin_delegation_change_page_shows_members(client, organizer, category):
    delegation = make_delegation(category)
    client.force_login(organizer)

    response = client.get(reverse("admin:registration_delegation_change", args=[delegation.pk]))

    assert response.status_code == 200
    head = delegation.members.get(is_head_of_delegation=True)
    assert (
        reverse("admin:registration_registration_change", args=[head.pk])
        in response.content.decode()
    )


def test_member_changes_their_own_details_through_their_link(client, category):
    delegation = make_delegation(category)
    member_registration = delegation.members.get(email="m1@example.org")
    registering.confirm_registration(member_registration)
    with translation.override("en"):
        address = reverse(
            "registration:edit",
            kwargs={"event": category.event.slug, "token": member_registration.token},
        )
    page = client.get(address)
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value not in (None, "") and not isinstance(value, bool)
    }
    data.update(
        first_name="Kofi",
        last_name="Mensah",
        organization="Permanent Mission of Ghana",
        country="GH",
        days=[day.isoformat() for day in category.event.days],
        dietary_needs="Vegetarian",
        # The category asks the sector (asked_fields): the focal point's form did not.
        sector="gov_foreign_affairs",
        consent_privacy="on",
        language="en",
    )

    response = client.post(address, data)

    assert response.status_code == 302
    member_registration.refresh_from_db()
    assert member_registration.dietary_needs == "Vegetarian"
    assert member_registration.delegation_id == delegation.pk


@pytest.mark.parametrize("members", [3, 10])
def test_focal_point_page_queries_do_not_grow_with_members(
    client, category, django_assert_num_queries, members
):
    delegation = delegations.register_delegation(
        category.event,
        category=category,
        details=delegation_details(),
        members=[member(f"m{n}@example.org") for n in range(members)],
        nomination_upload=pdf_upload(),
        language="en",
    )
    delegations.withdraw_member(delegation.members.get(email="m1@example.org"))
    delegations.replace_member(
        delegation.members.get(email="m2@example.org"),
        details={
            "honorific": "",
            "first_name": "Yaw",
            "last_name": "Darko",
            "position": "",
            "email": "yaw@example.org",
        },
    )
    client.get(page_url(delegation))  # the session and the cache table warm

    with django_assert_num_queries(5):
        response = client.get(page_url(delegation))

    assert response.status_code == 200


def test_delegation_form_is_rate_limited_like_the_registration_form(client, category, settings):
    settings.REGISTRATION_RATE_LIMIT = 1
    post_form(client, category, focal_point_email="not-an-address")

    response = post_form(client, category)

    assert response.status_code == 429
    assert Delegation.objects.count() == 0


def test_delegation_form_after_close_says_registration_is_closed(client, category):
    RegistrationSettings.objects.filter(event=category.event).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    page = client.get(form_url(category))
    sent = post_form(client, category)

    assert page.templates[0].name == "registration/registration_closed.html"
    assert sent.templates[0].name == "registration/registration_closed.html"
    assert Delegation.objects.count() == 0


def request_link_url(category) -> str:
    with translation.override("en"):
        return reverse("registration:delegation-request-link", args=[category.event.slug])


def test_focal_point_asks_for_their_link_again(
    client, category, django_capture_on_commit_callbacks
):
    delegation = make_delegation(category)
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(request_link_url(category), {"email": "Ama.Owusu@example.org"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(request_link_url(category), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    link_mails = [m for m in mail.outbox if m.subject.startswith("The link to your delegation")]
    assert [m.to for m in link_mails] == [["ama.owusu@example.org"]]
    token = re.search(r"/delegation/([^/]+)/", link_mails[0].body).group(1)
    assert links.read_token(token, salt=links.DELEGATION_SALT) == delegation.access_key.hex


def test_focal_point_link_asked_right_after_registering_is_not_sent_twice(
    client, category, django_capture_on_commit_callbacks
):
    make_delegation(category)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_link_url(category), {"email": "ama.owusu@example.org"})

    assert Message.objects.filter(recipient="ama.owusu@example.org").count() == 1


def test_expired_delegation_link_offers_a_new_one(client, category, settings):
    delegation = make_delegation(category)
    address = page_url(delegation)
    settings.REGISTRATION_LINK_MAX_AGE_DAYS = -1

    response = client.get(address)

    assert response.status_code == 400
    assert response.context["reason"] == "expired"
    assert request_link_url(category) in response.content.decode()


def test_focal_point_withdraws_the_whole_delegation(client, category):
    delegation = make_delegation(category)

    confirm = client.get(page_url(delegation, "registration:delegation-withdraw-all"))
    response = client.post(page_url(delegation, "registration:delegation-withdraw-all"))

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert set(delegation.members.values_list("status", flat=True)) == {Status.CANCELLED}
    page = client.get(page_url(delegation))
    assert 'data-state="withdrawn"' in page.content.decode()
    assert 'id="add-member-form"' not in page.content.decode()


def test_replaced_head_cannot_renew_their_registration(client, category):
    delegation = make_delegation(category)
    head = delegation.members.get(is_head_of_delegation=True)
    delegations.replace_member(
        head,
        details={
            "honorific": "",
            "first_name": "Yaw",
            "last_name": "Darko",
            "position": "",
            "email": "yaw@example.org",
        },
    )
    with translation.override("en"):
        address = reverse(
            "registration:reactivate", kwargs={"event": category.event.slug, "token": head.token}
        )

    response = client.post(address, follow=True)

    head.refresh_from_db()
    assert head.status == Status.CANCELLED
    assert "only they can add you again" in response.content.decode()
    assert (
        delegation.members.filter(
            is_head_of_delegation=True, status__in=Registration.ACTIVE_STATUSES
        ).count()
        == 1
    )


def test_delegation_form_category_changed_meanwhile_is_a_form_error(client, category, monkeypatch):
    def refuse(*args, **kwargs):
        raise delegations.DelegationError("changed", code="not_delegation_category")

    monkeypatch.setattr(delegations, "register_delegation", refuse)

    response = post_form(client, category)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == (
        "not_delegation_category"
    )


def test_member_cannot_move_their_registration_out_of_the_delegations_country(client, category):
    delegation = make_delegation(category)
    member_registration = delegation.members.get(email="m1@example.org")
    with translation.override("en"):
        address = reverse(
            "registration:edit",
            kwargs={"event": category.event.slug, "token": member_registration.token},
        )
    page = client.get(address)
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value not in (None, "") and not isinstance(value, bool)
    }
    data.update(
        days=[day.isoformat() for day in category.event.days],
        sector="gov_foreign_affairs",
        consent_privacy="on",
        language="en",
        organization="Somewhere else",
        country="FR",
    )

    response = client.post(address, data)

    assert response.status_code == 302
    member_registration.refresh_from_db()
    assert (member_registration.organization, member_registration.country.code) == (
        delegation.organization,
        delegation.country.code,
    )
    assert "as its focal point gave it." in page.content.decode()
