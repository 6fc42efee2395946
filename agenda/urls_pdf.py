"""URLs of the PDFs and the speakers' pages, added to agenda.urls (namespace "agenda")."""

from django.urls import path

from agenda import speaker_views

pdf_urlpatterns = [
    path("<slug:event>/programme.pdf", speaker_views.programme_pdf, name="programme-pdf"),
    path(
        "<slug:event>/sessions/<slug:session>/paper.pdf",
        speaker_views.session_paper_pdf,
        name="session-paper-pdf",
    ),
    path("<slug:event>/proceedings.pdf", speaker_views.proceedings_pdf, name="proceedings-pdf"),
    path("<slug:event>/speaker/<str:token>/", speaker_views.speaker_page, name="speaker-page"),
    path(
        "<slug:event>/speaker/<str:token>/brief.pdf",
        speaker_views.speaker_brief_pdf,
        name="speaker-brief-pdf",
    ),
    path(
        "<slug:event>/speaker/<str:token>/abstract/<int:presentation>/",
        speaker_views.speaker_abstract,
        name="speaker-abstract",
    ),
    path(
        "<slug:event>/speaker/<str:token>/slides/<int:presentation>/",
        speaker_views.speaker_slides,
        name="speaker-slides",
    ),
]
