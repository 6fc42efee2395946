"""The delegation form a focal point fills in, and the focal point's pages reached from their
signed link: the delegation and its members, and the forms that add, replace or withdraw a
member and replace the nomination document until registration closes.

Thin views: the forms check the fields, registration.services.delegations does the work.
"""

import uuid

import phonenumbers
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agenda import content
from registration import links, ratelimit
from registration.forms.delegations import (
    DelegationForm,
    DelegationLinkForm,
    MemberForm,
    MemberFormSet,
    NominationForm,
)
from registration.models import (
    Delegation,
    ParticipantCategory,
    Registration,
    RegistrationEmail,
    settings_for,
)
from registration.services import delegations as services
from registration.services import focal_points
from registration.services.registering import RegistrationClosed
from registration.views.participants import (
    BadLink,
    _event,
    _private,
    _rate_limited,
)

MEMBERS_PREFIX = "members"


def _address_taken() -> ValidationError:
    return ValidationError(
        _("This address is already registered for the event."), code="already_registered"
    )


def register(request, event, category):
    event = _event(request, event)
    category = get_object_or_404(
        ParticipantCategory, event=event, pk=category, registers_delegations=True
    )
    reg_settings = settings_for(event)
    state = reg_settings.state()
    context = {
        "event": event,
        "category": category,
        "registration_settings": reg_settings,
        "state": state,
    }
    if state != "open":
        return render(request, "registration/registration_closed.html", context)
    if request.method == "POST":
        # One transaction for the attempt's count and the delegation: one commit, not two.
        with transaction.atomic():
            if not ratelimit.allow("register", ratelimit.client_address(request)):
                return _rate_limited(request, event)
            form = DelegationForm(request.POST, request.FILES, event=event, category=category)
            members = MemberFormSet(request.POST, prefix=MEMBERS_PREFIX)
            if form.is_valid() and members.is_valid():
                rows = members.filled_forms()
                try:
                    services.register_delegation(
                        event,
                        category=category,
                        details=form.delegation_details(),
                        members=[form.member_details(member) for _row, member in rows],
                        nomination_upload=form.cleaned_data.get("nomination"),
                        language=content.interface_language(),
                    )
                except RegistrationClosed as closed:
                    context["state"] = closed.state
                    return render(request, "registration/registration_closed.html", context)
                except services.MemberAddressTaken as taken:
                    for position in taken.rows:
                        rows[position][1].add_error("email", _address_taken())
                except services.DelegationError as refused:
                    # The form checks the same; kept for a category changed meanwhile.
                    form.add_error(None, ValidationError(str(refused), code=refused.code))
                else:
                    return redirect("registration:delegation-register-done", event=event.slug)
    else:
        form = DelegationForm(event=event, category=category)
        members = MemberFormSet(prefix=MEMBERS_PREFIX)
    context.update(form=form, members=members)
    return render(request, "registration/delegation_form.html", context)


def register_done(request, event):
    event = _event(request, event)
    return render(request, "registration/delegation_done.html", {"event": event})


def request_link(request, event):
    event = _event(request, event)
    if request.method == "POST":
        # One transaction, one commit, for the attempt's count and the queued task.
        with transaction.atomic():
            if not ratelimit.allow("request-link", ratelimit.client_address(request)):
                return _rate_limited(request, event)
            form = DelegationLinkForm(request.POST)
            valid = form.is_valid()
            if valid:
                focal_points.request_delegation_link(event, email=form.cleaned_data["email"])
        if valid:
            context = {"event": event, "link_days": settings.REGISTRATION_LINK_MAX_AGE_DAYS}
            return render(request, "registration/delegation_link_sent.html", context)
    else:
        form = DelegationLinkForm()
    return render(
        request, "registration/delegation_link_request.html", {"event": event, "form": form}
    )


# Pages reached from the focal point's signed link -----------------------------------------------


def _delegation(request, event_slug: str, token: str) -> Delegation:
    try:
        key = uuid.UUID(hex=links.read_token(token, salt=links.DELEGATION_SALT))
    except links.LinkExpired as error:
        raise BadLink("expired") from error
    except (links.LinkInvalid, ValueError) as error:
        raise BadLink("invalid") from error
    event = _event(request, event_slug)
    try:
        return Delegation.objects.select_related("event", "category").get(
            event=event, access_key=key, erased_at__isnull=True
        )
    except Delegation.DoesNotExist:
        raise BadLink("invalid") from None


def _bad_link(request, event_slug: str, reason: str) -> HttpResponse:
    event = _event(request, event_slug)
    context = {"event": event, "reason": reason, "form": DelegationLinkForm()}
    return _private(
        render(request, "registration/delegation_link_request.html", context, status=400)
    )


def from_delegation_link(view):
    """Resolve the focal point's signed link to the delegation, or answer with the bad-link
    page; the pages are in the focal point's language (Delegation.language), as the
    participant's are in theirs (views.participants.from_link)."""

    def wrapper(request, event, token, **kwargs):
        try:
            delegation = _delegation(request, event, token)
        except BadLink as bad:
            return _bad_link(request, event, bad.reason)
        if request.method in ("GET", "HEAD") and content.interface_language() != (
            delegation.language
        ):
            here = request.get_full_path()
            theirs = translate_url(here, delegation.language)
            if theirs != here:
                return _private(redirect(theirs))
        with translation.override(delegation.language):
            return _private(view(request, delegation, token, **kwargs))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _member(delegation: Delegation, pk: int) -> Registration:
    return get_object_or_404(
        Registration, pk=pk, delegation=delegation, status__in=Registration.ACTIVE_STATUSES
    )


def _can_change(delegation: Delegation) -> bool:
    return delegation.is_active and settings_for(delegation.event).is_open()


# What the focal point reads of each member's status.
MEMBER_STATES = {
    Registration.Status.PENDING: gettext_lazy("Awaiting address confirmation"),
    Registration.Status.AWAITING_APPROVAL: gettext_lazy("Awaiting approval"),
    Registration.Status.CONFIRMED: gettext_lazy("Confirmed"),
    Registration.Status.WAITING: gettext_lazy("On the waiting list"),
    Registration.Status.REJECTED: gettext_lazy("Not accepted"),
    Registration.Status.CANCELLED: gettext_lazy("Cancelled by the member"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def _members(delegation: Delegation) -> list[Registration]:
    withdrawn = RegistrationEmail.objects.filter(
        registration=OuterRef("pk"), kind=RegistrationEmail.Kind.WITHDRAWN
    )
    members = list(
        delegation.members.annotate(withdrawn=Exists(withdrawn))
        .select_related("replaces")
        .order_by("-is_head_of_delegation", "created_at", "pk")
    )
    for member in members:
        member.state = (
            "withdrawn"
            if member.status == Registration.Status.CANCELLED and member.withdrawn
            else member.status
        )
        member.state_label = MEMBER_STATES[member.state]
    # The active first, the head of delegation at the top; then those who left.
    members.sort(key=lambda member: not member.is_active)
    return members


def _page(request, delegation, token, **forms):
    members = _members(delegation)
    context = {
        "event": delegation.event,
        "delegation": delegation,
        "token": token,
        "members": members,
        "nomination": getattr(delegation, "nomination", None),
        "focal_point_phone": _phone_display(delegation.focal_point_phone),
        "can_change": _can_change(delegation),
        "registration_settings": settings_for(delegation.event),
        "add_form": forms.get("add_form") or MemberForm(prefix="add"),
        "nomination_form": forms.get("nomination_form")
        or (NominationForm(delegation=delegation) if delegation.category.nomination else None),
    }
    status = 400 if forms else 200
    return render(request, "registration/delegation_detail.html", context, status=status)


def _phone_display(value: str) -> str:
    """A stored E.164 number (with ';ext=') written for people: +41 22 919 04 20."""
    if not value:
        return ""
    return phonenumbers.format_number(
        phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def _refused(request, delegation, token, error: Exception) -> HttpResponse:
    if isinstance(error, RegistrationClosed):
        messages.error(request, _("Registration for this event is closed."))
    else:
        messages.error(request, str(error))
    return redirect("registration:delegation", event=delegation.event.slug, token=token)


@from_delegation_link
def manage(request, delegation, token):
    return _page(request, delegation, token)


@require_POST
@from_delegation_link
def add_member(request, delegation, token):
    form = MemberForm(request.POST, prefix="add")
    if not form.is_valid():
        return _page(request, delegation, token, add_form=form)
    try:
        member = services.add_member(
            delegation, member={**form.member_details(), **_shared(delegation)}
        )
    except services.MemberAddressTaken:
        form.add_error("email", _address_taken())
        return _page(request, delegation, token, add_form=form)
    except (RegistrationClosed, services.DelegationError) as error:
        return _refused(request, delegation, token, error)
    messages.success(
        request,
        _("%(name)s is added; we sent them an e-mail to confirm their address.")
        % {"name": member.full_name},
    )
    return redirect("registration:delegation", event=delegation.event.slug, token=token)


def _shared(delegation: Delegation) -> dict:
    """What a new member shares with the delegation's others: the days (the head's)."""
    head = (
        delegation.members.filter(status__in=Registration.ACTIVE_STATUSES)
        .order_by("-is_head_of_delegation", "pk")
        .first()
    )
    days = head.days if head else delegation.event.days
    return {"days": days, "consent_privacy": True}


@from_delegation_link
def replace_member(request, delegation, token, member):
    member = _member(delegation, member)
    if not _can_change(delegation):
        return redirect("registration:delegation", event=delegation.event.slug, token=token)
    form = MemberForm(request.POST or None, prefix="replace")
    if request.method == "POST" and form.is_valid():
        try:
            new = services.replace_member(member, details=form.member_details())
        except services.MemberAddressTaken:
            form.add_error("email", _address_taken())
        except (RegistrationClosed, services.DelegationError) as error:
            return _refused(request, delegation, token, error)
        else:
            messages.success(
                request,
                _(
                    "%(old)s is replaced by %(new)s; we sent %(new)s an e-mail to confirm "
                    "their address."
                )
                % {"old": member.full_name, "new": new.full_name},
            )
            return redirect("registration:delegation", event=delegation.event.slug, token=token)
    context = {"event": delegation.event, "delegation": delegation, "token": token}
    context.update(member=member, form=form)
    status = 400 if form.is_bound else 200
    return render(request, "registration/delegation_replace.html", context, status=status)


@from_delegation_link
def withdraw_member(request, delegation, token, member):
    member = _member(delegation, member)
    if not _can_change(delegation):
        return redirect("registration:delegation", event=delegation.event.slug, token=token)
    if request.method == "POST":
        try:
            services.withdraw_member(member)
        except (RegistrationClosed, services.DelegationError) as error:
            return _refused(request, delegation, token, error)
        messages.success(request, _("%(name)s is withdrawn.") % {"name": member.full_name})
        return redirect("registration:delegation", event=delegation.event.slug, token=token)
    context = {"event": delegation.event, "delegation": delegation, "token": token}
    context["member"] = member
    return render(request, "registration/delegation_withdraw.html", context)


@require_POST
@from_delegation_link
def replace_nomination(request, delegation, token):
    if not delegation.category.nomination:
        return redirect("registration:delegation", event=delegation.event.slug, token=token)
    form = NominationForm(request.POST, request.FILES, delegation=delegation)
    if not form.is_valid():
        return _page(request, delegation, token, nomination_form=form)
    try:
        services.replace_nomination(delegation, upload=form.cleaned_data["nomination"])
    except (RegistrationClosed, services.DelegationError) as error:
        return _refused(request, delegation, token, error)
    messages.success(request, _("The new nomination document is saved."))
    return redirect("registration:delegation", event=delegation.event.slug, token=token)


@from_delegation_link
def withdraw_delegation(request, delegation, token):
    if not _can_change(delegation):
        return redirect("registration:delegation", event=delegation.event.slug, token=token)
    if request.method == "POST":
        try:
            services.withdraw_delegation(delegation)
        except (RegistrationClosed, services.DelegationError) as error:
            return _refused(request, delegation, token, error)
        messages.success(request, _("The delegation is withdrawn."))
        return redirect("registration:delegation", event=delegation.event.slug, token=token)
    context = {"event": delegation.event, "delegation": delegation, "token": token}
    return render(request, "registration/delegation_withdraw_all.html", context)
