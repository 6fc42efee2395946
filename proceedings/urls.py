from django.urls import path

from proceedings import views

app_name = "proceedings"

urlpatterns = [
    path("<slug:event>/publication/", views.PublicationView.as_view(), name="publication"),
    path("<slug:event>/proceedings.pdf", views.proceedings_pdf, name="pdf"),
]
