from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("management/", views.management, name="management"),
    path("department/", views.department, name="department"),
    path("company/", views.company, name="company"),
    path("region/", views.region, name="region"),
    path("public/", views.public, name="public"),
    path("<str:view>/export.<str:fmt>", views.export, name="export"),
    path("definitions/", views.definitions, name="definitions"),
]
