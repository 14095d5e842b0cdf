from django.urls import path

from . import api

urlpatterns = [
    path("feedback/forms/", api.FormListApi.as_view(), name="api-feedback-form-list"),
    path("feedback/forms/<int:pk>/", api.FormDetailApi.as_view(), name="api-feedback-form-detail"),
    path("feedback/items/", api.ItemListApi.as_view(), name="api-feedback-item-list"),
    path("feedback/items/<int:pk>/", api.ItemDetailApi.as_view(), name="api-feedback-item-detail"),
    path("feedback/items/<int:pk>/assign/", api.ItemAssignApi.as_view(), name="api-feedback-item-assign"),
    path("feedback/replies/", api.ReplyListApi.as_view(), name="api-feedback-reply-list"),
    path("feedback/replies/<int:pk>/", api.ReplyDetailApi.as_view(), name="api-feedback-reply-detail"),
    path(
        "feedback/replies/<int:pk>/satisfaction/",
        api.SatisfactionApi.as_view(),
        name="api-feedback-reply-satisfaction",
    ),
    path(
        "feedback/collective-answers/",
        api.CollectiveAnswerListApi.as_view(),
        name="api-feedback-collective-list",
    ),
    path(
        "feedback/collective-answers/<int:pk>/",
        api.CollectiveAnswerDetailApi.as_view(),
        name="api-feedback-collective-detail",
    ),
]
