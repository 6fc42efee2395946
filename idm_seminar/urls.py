from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from idm_seminar import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("proceedings.urls")),
    path("", include("registration.urls")),
    path("", include("speakers.urls")),
    path("", include("documents.urls")),
    path("", include("agenda.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
