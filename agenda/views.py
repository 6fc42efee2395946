# Placeholder until the public pages land.
from django.http import HttpResponse
from django.views import View


def current_event(request):
    return HttpResponse()


agenda_calendar = session_calendar = current_event
EventListView = EventDetailView = AgendaView = SessionDetailView = PersonListView = View
PersonDetailView = DocumentListView = PublicationView = View
