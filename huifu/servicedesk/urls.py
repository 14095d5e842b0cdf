from django.urls import path

from . import assign_views, views

app_name = "servicedesk"
urlpatterns = [
    path("", views.feedback_list, name="feedback_list"),
    path("new/", views.feedback_new, name="feedback_new"),
    path("<int:pk>/", views.form_detail, name="form_detail"),
    path("<int:pk>/assign/", assign_views.form_assign_view, name="form_assign"),
    path("<int:pk>/pause/", views.form_pause, name="form_pause"),
    path("<int:pk>/clarify/", views.form_clarify, name="form_clarify"),
    path("<int:pk>/confirm/", views.form_confirm, name="form_confirm"),
    path("<int:pk>/accept-suggestion/", views.form_accept_suggestion, name="form_accept_suggestion"),
    path("<int:pk>/correct-draft/", views.form_correct_draft, name="form_correct_draft"),
    path("<int:pk>/close/", views.form_close, name="form_close"),
    path("<int:pk>/reply/", views.reply_compose, name="reply_compose"),
    path("<int:pk>/reply/send/", views.reply_send, name="reply_send"),
    path("<int:pk>/reply/return/", views.reply_return, name="reply_return"),
    path("<int:pk>/reply/preview.pdf", views.reply_preview, name="reply_preview"),
    path("<int:pk>/reply/minutes/", views.reply_minutes, name="reply_minutes"),
    path("<int:pk>/reply/rate/", views.reply_rate, name="reply_rate"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("reports/", views.report_page, name="reports"),
    path("reports.xlsx", views.report_export, name="report_export"),
]
