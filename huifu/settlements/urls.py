from django.urls import path

from . import views

app_name = "settlements"
urlpatterns = [
    path("", views.settlement_list, name="list"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/compute/", views.run_compute, name="run_compute"),
    path("runs/<int:pk>/review/", views.run_review, name="run_review"),
    path("runs/<int:pk>/return/", views.run_return, name="run_return"),
    path("runs/<int:pk>/approve/", views.run_approve, name="run_approve"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/verify/", views.run_verify, name="run_verify"),
    path("runs/<int:pk>/export/", views.run_export, name="run_export"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("statements/<int:pk>/export/", views.statement_export, name="statement_export"),
]
