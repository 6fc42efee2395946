from django.urls import path

from agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.current_event, name="event-current"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("<slug:event>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<slug:event>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("<slug:event>/agenda.ics", views.agenda_calendar, name="agenda-ics"),
    path(
        "<slug:event>/sessions/<slug:session>/",
        views.SessionDetailView.as_view(),
        name="session-detail",
    ),
    path("<slug:event>/sessions/<slug:session>.ics", views.session_calendar, name="session-ics"),
    path("<slug:event>/people/", views.PersonListView.as_view(), name="person-list"),
    path(
        "<slug:event>/people/<slug:person>/", views.PersonDetailView.as_view(), name="person-detail"
    ),
    path("<slug:event>/documents/", views.DocumentListView.as_view(), name="document-list"),
]
