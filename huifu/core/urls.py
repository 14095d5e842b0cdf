from django.urls import path

from huifu.publicsite.views import front_door, identity_edit

from . import views

app_name = "core"
urlpatterns = [
    # Anonymous visitors get the public landing page (huifu/publicsite), signed-in users their home.
    path("", front_door(views.home), name="home"),
    # The exchange's identity (names, contacts, logo, hotline): Member Management's page.
    path("identity/", identity_edit, name="identity"),
]
