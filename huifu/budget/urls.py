from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("", views.pool_list, name="pool_list"),
    path("pools/new/", views.pool_create, name="pool_create"),
    path("pools/<int:pk>/", views.pool_detail, name="pool_detail"),
    path("pools/<int:pk>/edit/", views.pool_edit, name="pool_edit"),
    path("allocations/", views.allocation_list, name="allocation_list"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/invoices/", views.invoice_add, name="invoice_add"),
    path("allocations/<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("allocations/<int:pk>/adjust/", views.allocation_adjust, name="allocation_adjust"),
    path("allocations/<int:pk>/release/", views.allocation_release, name="allocation_release"),
    path("export/<int:year>.xlsx", views.year_export, name="year_export"),
]
