from django.urls import path

from . import views

app_name = "yearplan"
urlpatterns = [
    path("", views.year_list, name="list"),
    path("<int:year>/", views.year_detail, name="detail"),
    path("<int:year>/document.docx", views.download_docx, name="docx"),
    path("<int:year>/document.pdf", views.download_pdf, name="pdf"),
    path("<int:year>/edit/", views.year_edit, name="edit"),
    path("<int:year>/freeze/", views.year_freeze, name="freeze"),
    path("<int:year>/compare/", views.year_compare, name="compare"),
    path("<int:year>/programmes/new/", views.programme_edit, name="programme_create"),
    path("<int:year>/programmes/<slug:key>/edit/", views.programme_edit, name="programme_edit"),
]
