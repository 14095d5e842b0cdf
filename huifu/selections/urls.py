from django.urls import path

from . import views, views_manage

app_name = "selections"
urlpatterns = [
    path("", views.index, name="index"),
    path("categories/<int:category_id>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/return/", views.application_return, name="application_return"),
    path("applications/<int:pk>/confirm/", views.application_confirm, name="application_confirm"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/materials/", views.material_add, name="material_add"),
    path("applications/<int:pk>/score/", views.score, name="score"),
    path("applications/export.xlsx", views_manage.my_export, name="my_export"),
    path("judging/", views.judging, name="judging"),
    path("judging/declare/", views.declare, name="declare"),
    path("judging/export.xlsx", views_manage.judging_export, name="judging_export"),
    path("categories/<int:category_id>/conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/decide/", views.conflict_decide, name="conflict_decide"),
    path("new/", views_manage.selection_create, name="create"),
    path("<int:year>/manage/", views_manage.selection_manage, name="manage"),
    path("<int:year>/manage/categories/new/", views_manage.category_create, name="category_create"),
    path("<int:year>/manage/phase/", views_manage.phase_set, name="phase_set"),
    path("<int:year>/manage/plan/", views_manage.plan_publish, name="plan_publish"),
    path("categories/<int:pk>/", views_manage.category_manage, name="category"),
    path("categories/<int:pk>/panel/", views_manage.panel_add, name="panel_add"),
    path("categories/<int:pk>/employment/", views_manage.employment_add, name="employment_add"),
    path("categories/<int:pk>/compute/", views_manage.results_compute, name="compute"),
    path("categories/<int:pk>/runs/<int:run_id>/review/", views_manage.results_review, name="review"),
    path("categories/<int:pk>/runs/<int:run_id>/publish/", views_manage.results_publish, name="publish"),
    path("categories/<int:pk>/awards/<int:award_id>/revoke/", views_manage.award_revoke, name="revoke"),
    path("categories/<int:pk>/export.xlsx", views_manage.results_export, name="export"),
]
