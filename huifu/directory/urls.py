from django.urls import path

from .views import departments, organisations, transfer

app_name = "directory"
urlpatterns = [
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/export.xlsx", transfer.organisations_export, name="organisations_export"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/suspend/", organisations.organisation_suspend, name="organisation_suspend"),
    path("organisations/<int:pk>/reactivate/", organisations.organisation_reactivate, name="organisation_reactivate"),
    path("organisations/<int:pk>/contacts/new/", organisations.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", organisations.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", organisations.contact_delete, name="contact_delete"),
    path("contacts/export.xlsx", transfer.contacts_export, name="contacts_export"),
    path("import/", transfer.import_page, name="import"),
    path("import/errors.xlsx", transfer.import_errors, name="import_errors"),
    path("import/template/<slug:what>.xlsx", transfer.import_template, name="import_template"),
    path("liaisons/", departments.liaisons, name="liaisons"),
    path("liaisons/export.xlsx", departments.liaisons_export, name="liaisons_export"),
    path("departments/", departments.departments, name="departments"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", departments.department_edit, name="department_edit"),
    path("departments/<int:pk>/areas/new/", departments.business_area_create, name="business_area_create"),
    path("departments/<int:pk>/liaisons/new/", departments.liaison_create, name="liaison_create"),
    path("areas/<int:pk>/edit/", departments.business_area_edit, name="business_area_edit"),
    path("liaison-people/<int:pk>/edit/", departments.liaison_edit, name="liaison_edit"),
    path("liaison-people/<int:pk>/publish/", departments.liaison_publish, name="liaison_publish"),
    path("areas/<int:pk>/delete/", departments.delete, {"what": "business_area"}, name="business_area_delete"),
    path("liaison-people/<int:pk>/delete/", departments.delete, {"what": "liaison"}, name="liaison_delete"),
    path("departments/<int:pk>/move/", departments.move, {"what": "department"}, name="department_move"),
    path("areas/<int:pk>/move/", departments.move, {"what": "business_area"}, name="business_area_move"),
    path("liaison-people/<int:pk>/move/", departments.move, {"what": "liaison"}, name="liaison_move"),
]
