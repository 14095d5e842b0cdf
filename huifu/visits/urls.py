from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_create, name="create"),
    path("letters/new/", views.visit_register_letter, name="register_letter"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/arrange/", views.visit_arrange, name="arrange"),
    path("<int:pk>/confirm/", views.visit_confirm, name="confirm"),
    path("<int:pk>/change/", views.visit_change, name="change"),
    path("<int:pk>/hold/", views.visit_hold, name="hold"),
    path("<int:pk>/cancel/", views.visit_cancel, name="cancel"),
    path("<int:pk>/invitation.ics", views.visit_ics, name="ics"),
]
