import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from outbox.models import Message
from registration import links
from registration.models import (
    ApprovalRule,
    Delegation,
    Nomination,
    Registration,
    RegistrationEmail,
    RegistrationSettings,
)
from registration.services import delegations, registering
from tests.delegation_factories import (
    PNG_BYTES,
    DelegationCategoryFactory,
    delegation_details,
    member,
    pdf_upload,
)
from tests.registration_factories import RegistrationFactory

Status = Registration.Status
Kind = RegistrationEmail.Kind


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def category(db):
    return DelegationCategoryFactory()


def register(category, *, emails=("head@example.org", "m1@example.org", "m2@example.org"), **kw):
    return delegations.register_delegation(
        category.event,
        category=category,
        details=kw.pop("details", delegation_details()),
        members=[member(email) for email in emails],
        nomination_upload=kw.pop("upload", pdf_upload()),
        language=kw.pop("language", "en"),
        **kw,
    )


def test_register_delegation_creates_members_nomination_and_mails(
    category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delegation = register(category, language="fr")

    members = list(delegation.members.order_by("pk"))
    assert [m.email for m in members] == ["head@example.org", "m1@example.org", "m2@example.org"]
    assert [m.is_head_of_delegation for m in members] == [True, False, False]
    assert {
        (m.status, m.category_id, m.country.code, m.organization, m.language) for m in members
    } == {(Status.PENDING, category.pk, "GH", "Permanent Mission of Ghana", "fr")}
    nomination = Nomination.objects.get(delegation=delegation)
    assert (nomination.kind, nomination.original_name) == ("note_verbale", "note-verbale.pdf")
    with nomination.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == [
        "ama.owusu@example.org",
        "head@example.org",
        "m1@example.org",
        "m2@example.org",
    ]
    assert "/fr/event" in by_recipient["head@example.org"].body
    focal = by_recipient["ama.owusu@example.org"]
    token = re.search(r"/delegation/([^/]+)/", focal.body).group(1)
    assert links.read_token(token, salt=links.DELEGATION_SALT) == delegation.access_key.hex
    focal_message = Message.objects.get(recipient="ama.owusu@example.org")
    assert (focal_message.topic, focal_message.object_id) == (
        "registration.delegation",
        delegation.pk,
    )


def test_register_delegation_member_mail_names_the_delegation(
    category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(category)

    head = next(m for m in mail.outbox if m.to == ["head@example.org"])
    other = next(m for m in mail.outbox if m.to == ["m1@example.org"])
    assert "as the head of the delegation" in " ".join(head.body.split())
    assert "Ama Owusu, the focal point of Permanent Mission of Ghana (Ghana)" in " ".join(
        other.body.split()
    )
    assert "as a member of the delegation" in " ".join(other.body.split())


def test_register_delegation_address_taken_creates_nothing(category):
    RegistrationFactory(event=category.event, email="M1@example.org")

    with pytest.raises(delegations.MemberAddressTaken) as taken:
        register(category)

    assert taken.value.rows == [1]
    assert Delegation.objects.count() == 0
    assert Registration.objects.filter(delegation__isnull=False).count() == 0
    assert Message.objects.count() == 0


def test_register_delegation_same_address_twice_refused(category):
    with pytest.raises(delegations.MemberAddressTaken) as taken:
        register(category, emails=("a@example.org", "b@example.org", "A@example.org"))

    assert taken.value.rows == [2]
    assert Delegation.objects.count() == 0


def test_register_delegation_closed_raises(category):
    RegistrationSettings.objects.filter(event=category.event).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )

    with pytest.raises(registering.RegistrationClosed):
        register(category)

    assert Delegation.objects.count() == 0


def test_register_delegation_without_nomination_refused(category):
    with pytest.raises(delegations.DelegationError) as refused:
        register(category, upload=None)

    assert refused.value.code == "nomination_required"


def test_register_delegation_png_named_pdf_refused(category):
    with pytest.raises(ValidationError) as refused:
        register(category, upload=pdf_upload("note.pdf", PNG_BYTES))

    assert refused.value.code == "not_pdf"
    assert Delegation.objects.count() == 0


def test_register_delegation_truncated_pdf_refused(category):
    with pytest.raises(ValidationError) as refused:
        register(category, upload=pdf_upload("note.pdf", b"%PDF-1.4\n1 0 obj\n"))

    assert refused.value.code == "incomplete"


def test_register_delegation_too_large_refused(category, settings):
    settings.REGISTRATION_UPLOAD_MAX_BYTES = 20

    with pytest.raises(ValidationError) as refused:
        register(category)

    assert refused.value.code == "too_large"


def test_register_delegation_individual_category_refused(category):
    category.registers_delegations = False
    category.save()

    with pytest.raises(delegations.DelegationError) as refused:
        register(category)

    assert refused.value.code == "not_delegation_category"


def confirm_all(delegation):
    for registration in delegation.members.filter(status=Status.PENDING):
        registering.confirm_registration(registration)


def test_approve_delegation_approves_waiting_members_and_later_ones_need_none(category):
    delegation = register(category)
    head, first, second = delegation.members.order_by("pk")
    registering.confirm_registration(head)
    registering.confirm_registration(first)

    approved = delegations.approve_delegation(delegation)

    assert approved == 2
    head.refresh_from_db()
    first.refresh_from_db()
    assert (head.status, first.status) == (Status.CONFIRMED, Status.CONFIRMED)
    assert head.approved_at is not None
    second = registering.confirm_registration(second)
    assert second.status == Status.CONFIRMED
    assert delegations.approve_delegation(delegation) == 0


def test_members_need_approval_before_delegation_is_approved(category):
    delegation = register(category)

    confirm_all(delegation)

    assert set(delegation.members.values_list("status", flat=True)) == {Status.AWAITING_APPROVAL}


def test_replace_member_cancels_old_frees_seat_and_carries_head(
    category, django_capture_on_commit_callbacks
):
    category.approval = ApprovalRule.NEVER
    category.save()
    RegistrationSettings.objects.filter(event=category.event).update(capacity=3)
    delegation = register(category)
    confirm_all(delegation)
    waiting = RegistrationFactory(event=category.event, email="waiting@example.org")
    registering.confirm_registration(waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING
    head = delegation.members.get(is_head_of_delegation=True)

    with django_capture_on_commit_callbacks(execute=True):
        new = delegations.replace_member(
            head,
            details={
                k: v
                for k, v in member("new.head@example.org").items()
                if k in delegations.MEMBER_FIELDS
            },
        )

    head.refresh_from_db()
    waiting.refresh_from_db()
    assert (head.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)
    assert (new.status, new.is_head_of_delegation, new.replaces_id) == (
        Status.PENDING,
        True,
        head.pk,
    )
    assert new.days == head.days
    assert head.emails.last().kind == Kind.WITHDRAWN
    assert "withdrew you from the delegation" in " ".join(
        [m for m in mail.outbox if m.to == [head.email]][-1].body.split()
    )


def test_withdraw_member_head_refused(category):
    delegation = register(category)
    head = delegation.members.get(is_head_of_delegation=True)

    with pytest.raises(delegations.DelegationError) as refused:
        delegations.withdraw_member(head)

    assert refused.value.code == "head_cannot_leave"


def test_withdraw_member_cancels_with_withdrawn_mail(category):
    delegation = register(category)
    other = delegation.members.filter(is_head_of_delegation=False).first()

    delegations.withdraw_member(other)

    other.refresh_from_db()
    assert other.status == Status.CANCELLED
    assert other.emails.last().kind == Kind.WITHDRAWN


def test_add_member_after_close_refused(category):
    delegation = register(category)
    RegistrationSettings.objects.filter(event=category.event).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    with pytest.raises(registering.RegistrationClosed):
        delegations.add_member(delegation, member=member("late@example.org"))

    assert delegation.members.count() == 3


def test_add_member_taken_address_refused(category):
    delegation = register(category)

    with pytest.raises(delegations.MemberAddressTaken):
        delegations.add_member(delegation, member=member("M2@example.org"))


def test_withdraw_delegation_cancels_members_and_blocks_changes(category):
    delegation = register(category)

    delegations.withdraw_delegation(delegation)

    assert set(delegation.members.values_list("status", flat=True)) == {Status.CANCELLED}
    with pytest.raises(delegations.DelegationError) as refused:
        delegations.add_member(delegation, member=member("new@example.org"))
    assert refused.value.code == "withdrawn"


def test_replace_nomination_keeps_one_document(category, private_media):
    delegation = register(category)
    old = Nomination.objects.get(delegation=delegation)

    delegations.replace_nomination(delegation, upload=pdf_upload("second.pdf"))

    assert list(
        Nomination.objects.filter(delegation=delegation).values_list("original_name", flat=True)
    ) == ["second.pdf"]
    assert old.file.name != Nomination.objects.get(delegation=delegation).file.name


def test_register_delegation_address_registered_meanwhile_is_row_error_and_no_file(
    category, monkeypatch, private_media
):
    # A participant's own form registered the address after the check (which is skipped here).
    RegistrationFactory(event=category.event, email="m2@example.org")
    check = delegations._check_addresses
    calls = []

    def check_after_the_insert(event, addresses):
        calls.append(addresses)
        return None if len(calls) == 1 else check(event, addresses)

    monkeypatch.setattr(delegations, "_check_addresses", check_after_the_insert)

    with pytest.raises(delegations.MemberAddressTaken) as taken:
        register(category)

    assert taken.value.rows == [2]
    assert Delegation.objects.count() == 0
    assert list((private_media / "nominations").iterdir()) == []


def test_approve_delegation_respects_the_category_seats(category):
    category.seats = 2
    category.save()
    delegation = register(category)
    confirm_all(delegation)

    delegations.approve_delegation(delegation)

    statuses = list(delegation.members.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
