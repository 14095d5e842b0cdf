from django.urls import path

from . import views

app_name = "tradingdata"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("closures/", views.closures, name="closures"),
    path("closures/<int:pk>/remove/", views.closure_remove, name="closure_remove"),
]
