from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<slug:event>/programme.pdf", views.programme_pdf, name="programme-pdf"),
    path(
        "<slug:event>/sessions/<slug:session>/paper.pdf",
        views.session_paper_pdf,
        name="session-paper-pdf",
    ),
]
