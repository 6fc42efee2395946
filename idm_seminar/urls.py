from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from idm_seminar import views

# Every page exists once per language: English at the root (the addresses the site always had),
# French under /fr/ and Spanish under /es/.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("proceedings.urls")),
        path("", include("registration.urls")),
        path("", include("speakers.urls")),
        path("", include("documents.urls")),
        path("", include("agenda.urls")),
        prefix_default_language=False,
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
