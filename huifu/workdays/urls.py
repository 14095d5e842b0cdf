from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("<int:year>/", views.calendar, name="year"),
    path("calculator/", views.calculator, name="calculator"),
    path("days/add/", views.special_day_add, name="special_day_add"),
    path("days/<str:day>/", views.special_day_edit, name="special_day_edit"),
    path("days/<str:day>/remove/", views.special_day_remove, name="special_day_remove"),
    path("<int:year>/publish/", views.year_publish, name="year_publish"),
    path("<int:year>/unpublish/", views.year_unpublish, name="year_unpublish"),
    path("<int:year>/import/", views.year_import, name="year_import"),
]
