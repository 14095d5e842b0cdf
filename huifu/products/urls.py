from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("<slug:code>/", views.product_detail, name="detail"),
    path("<slug:code>/edit/", views.product_edit, name="edit"),
]
