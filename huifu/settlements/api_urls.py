from django.urls import path

from . import api

urlpatterns = [
    path("settlements/statements/", api.StatementListView.as_view(), name="settlements-statements"),
    path("settlements/statements/<int:pk>/", api.StatementDetailView.as_view(), name="settlements-statement"),
    path("settlements/runs/<int:pk>/verify/", api.RunVerifyView.as_view(), name="settlements-run-verify"),
]
