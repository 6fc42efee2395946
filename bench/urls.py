from django.http import HttpRequest, HttpResponse
from django.urls import path

from idm_seminar import urls as site


def minimal_page(request: HttpRequest) -> HttpResponse:
    """A fixed HTML page of the requested size, from memory: Django's floor for a page view."""
    size = min(int(request.GET.get("size", "40000")), 5_000_000)
    body = b"<!doctype html><title>minimal</title>" + b"x" * max(size - 37, 0)
    return HttpResponse(body)


# Last, so that the minimal view pays for the same URL resolution as the site's pages. The
# site's own list, not an include: its pages are language patterns, which must be at the root.
urlpatterns = [
    *site.urlpatterns,
    path("bench/minimal", minimal_page),
]
