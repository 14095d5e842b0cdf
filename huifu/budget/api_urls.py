from django.urls import path

from . import api

urlpatterns = [
    path("budget/pools/", api.PoolListView.as_view(), name="api-budget-pool-list"),
    path("budget/pools/<int:pk>/", api.PoolDetailView.as_view(), name="api-budget-pool-detail"),
    path("budget/allocations/", api.AllocationListView.as_view(), name="api-budget-allocation-list"),
    path("budget/allocations/<int:pk>/", api.AllocationDetailView.as_view(), name="api-budget-allocation-detail"),
    path("budget/allocations/<int:pk>/invoices/", api.InvoiceCreateView.as_view(), name="api-budget-invoice-create"),
    path("budget/allocations/<int:pk>/payments/", api.PaymentCreateView.as_view(), name="api-budget-payment-create"),
]
