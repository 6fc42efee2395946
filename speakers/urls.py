from django.urls import path

from speakers import views

app_name = "speakers"

urlpatterns = [
    path("<slug:event>/speaker/<str:token>/", views.speaker_page, name="page"),
    path("<slug:event>/speaker/<str:token>/brief.pdf", views.speaker_brief_pdf, name="brief-pdf"),
    path(
        "<slug:event>/speaker/<str:token>/abstract/<int:presentation>/",
        views.speaker_abstract,
        name="abstract",
    ),
    path(
        "<slug:event>/speaker/<str:token>/slides/<int:presentation>/",
        views.speaker_slides,
        name="slides",
    ),
    path(
        "<slug:event>/speaker/<str:token>/slides/file/<int:deck>/",
        views.speaker_slides_file,
        name="slides-file",
    ),
]
