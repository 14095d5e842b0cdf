from django.urls import path

from . import api

urlpatterns = [
    path("products/", api.ProductListView.as_view(), name="api-product-list"),
    path("products/<slug:code>/", api.ProductDetailView.as_view(), name="api-product-detail"),
]
