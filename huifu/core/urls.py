from django.urls import path

from huifu.publicsite.views import front_door

from . import views

app_name = "core"
urlpatterns = [
    # Anonymous visitors get the public landing page (huifu/publicsite), signed-in users their home.
    path("", front_door(views.home), name="home"),
]
