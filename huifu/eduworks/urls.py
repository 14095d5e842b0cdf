from django.urls import path

from . import views, views_base

app_name = "eduworks"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("new/", views.work_create, name="create"),
    path("<int:pk>/", views.work_detail, name="detail"),
    path("<int:pk>/edit/", views.work_edit, name="edit"),
    path("<int:pk>/authors/", views.author_add, name="author_add"),
    path("<int:pk>/authors/<int:author_id>/remove/", views.author_remove, name="author_remove"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:file_id>/remove/", views.file_remove, name="file_remove"),
    path("<int:pk>/submit/", views.work_submit, name="submit"),
    path("<int:pk>/review/start/", views.review_start, name="review_start"),
    path("<int:pk>/review/decide/", views.review_decide, name="review_decide"),
    path("<int:pk>/publish/", views.work_publish, name="publish"),
    path("<int:pk>/withdraw/", views.work_withdraw, name="withdraw"),
    path("<int:pk>/reach/", views.reach_add, name="reach_add"),
    path("<int:pk>/reach/<int:figure_id>/remove/", views.reach_remove, name="reach_remove"),
    path("base/", views_base.dashboard, name="dashboard"),
    path("base/export.xlsx", views_base.dashboard_export, name="dashboard_export"),
    path("base/figures/", views_base.base_figure_add, name="base_figure_add"),
    path("base/figures/<int:figure_id>/remove/", views_base.base_figure_remove, name="base_figure_remove"),
]
