from django.urls import path

from registration.views import certificates, delegations
from registration.views import participants as views

app_name = "registration"

urlpatterns = [
    path("<slug:event>/register/", views.register, name="register"),
    path(
        "<slug:event>/register/<int:category>/",
        views.register_category,
        name="register-category",
    ),
    path("<slug:event>/register/done/", views.register_done, name="register-done"),
    path("<slug:event>/register/privacy/", views.privacy, name="privacy"),
    path("<slug:event>/register/link/", views.request_link, name="request-link"),
    path("<slug:event>/participants/", views.participant_list, name="participant-list"),
    path("<slug:event>/participants.pdf", views.participant_list_pdf, name="participant-list-pdf"),
    path("<slug:event>/registration/<str:token>/", views.manage, name="manage"),
    path("<slug:event>/registration/<str:token>/confirm/", views.confirm, name="confirm"),
    path("<slug:event>/registration/<str:token>/edit/", views.edit, name="edit"),
    path("<slug:event>/registration/<str:token>/cancel/", views.cancel, name="cancel"),
    path("<slug:event>/registration/<str:token>/renew/", views.reactivate, name="reactivate"),
    path(
        "<slug:event>/registration/<str:token>/confirmation/",
        views.confirmation,
        name="confirmation",
    ),
    path("<slug:event>/registration/<str:token>/calendar.ics", views.calendar, name="calendar"),
    path(
        "<slug:event>/registration/<str:token>/certificate.pdf",
        certificates.certificate,
        name="certificate",
    ),
    path(
        "<slug:event>/register/delegation/<int:category>/",
        delegations.register,
        name="delegation-register",
    ),
    path(
        "<slug:event>/register/delegation/done/",
        delegations.register_done,
        name="delegation-register-done",
    ),
    path(
        "<slug:event>/delegation/link/",
        delegations.request_link,
        name="delegation-request-link",
    ),
    path("<slug:event>/delegation/<str:token>/", delegations.manage, name="delegation"),
    path(
        "<slug:event>/delegation/<str:token>/add/",
        delegations.add_member,
        name="delegation-add",
    ),
    path(
        "<slug:event>/delegation/<str:token>/members/<int:member>/replace/",
        delegations.replace_member,
        name="delegation-replace",
    ),
    path(
        "<slug:event>/delegation/<str:token>/members/<int:member>/withdraw/",
        delegations.withdraw_member,
        name="delegation-withdraw",
    ),
    path(
        "<slug:event>/delegation/<str:token>/withdraw/",
        delegations.withdraw_delegation,
        name="delegation-withdraw-all",
    ),
    path(
        "<slug:event>/delegation/<str:token>/nomination/",
        delegations.replace_nomination,
        name="delegation-nomination",
    ),
]
