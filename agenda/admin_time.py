"""The admin shows times in the time zone of the event they belong to, as the public pages do."""

from django.contrib.admin.utils import unquote
from django.utils import timezone

from agenda.models import Event


class EventTimeZoneAdminMixin:
    """Render an admin page in the time zone of the event it is about.

    A change form uses its object's event; a change list uses the event it is filtered on
    (`?event__id__exact=`), or the only event there is. Elsewhere the site's TIME_ZONE stays.
    `event_field` names the object's event as a lookup path ("item__event"; empty: the object
    is the event). The admin's one way of showing moments in the event's zone: code that
    formats a moment on these pages uses timezone.localtime() and gets the event's zone.
    """

    event_field = "event"

    def _event_of(self, obj) -> Event | None:
        if obj is None:
            return None
        for name in self.event_field.split("__") if self.event_field else []:
            obj = getattr(obj, name)
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        event = None
        if object_id is not None:
            event = self._event_of(self.get_object(request, unquote(object_id)))
        return self._in_zone_of(
            event,
            super().changeform_view,
            request,
            object_id=object_id,
            form_url=form_url,
            extra_context=extra_context,
        )

    def changelist_view(self, request, extra_context=None):
        lookup = f"{self.event_field}__id__exact" if self.event_field else "id__exact"
        events = Event.objects.all()
        event_id = request.GET.get(lookup, "")
        # Only ASCII digits are an id: "²" is a digit to str.isdigit() but not to int().
        if event_id.isascii() and event_id.isdigit():
            event = events.filter(pk=event_id).first()
        else:
            only = list(events[:2])
            event = only[0] if len(only) == 1 else None
        return self._in_zone_of(
            event, super().changelist_view, request, extra_context=extra_context
        )

    @staticmethod
    def _in_zone_of(event: Event | None, view, *args, **kwargs):
        if event is None:
            return view(*args, **kwargs)
        with timezone.override(event.tzinfo):
            response = view(*args, **kwargs)
            # Template responses render later, outside this block, unless rendered here.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
