from django.urls import path

from . import views, views_schemes

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/next/", views.scheme_next_version, name="scheme_next"),
    path("schemes/<int:pk>/indicators/add/", views_schemes.indicator_add_view, name="indicator_add"),
    path(
        "schemes/<int:pk>/indicators/<int:indicator_id>/edit/", views_schemes.indicator_edit_view, name="indicator_edit"
    ),
    path(
        "schemes/<int:pk>/indicators/<int:indicator_id>/remove/",
        views_schemes.indicator_remove_view,
        name="indicator_remove",
    ),
    path("schemes/<int:pk>/bonus-items/add/", views_schemes.bonus_item_add_view, name="bonus_item_add"),
    path(
        "schemes/<int:pk>/bonus-items/<int:item_id>/edit/", views_schemes.bonus_item_edit_view, name="bonus_item_edit"
    ),
    path(
        "schemes/<int:pk>/bonus-items/<int:item_id>/remove/",
        views_schemes.bonus_item_remove_view,
        name="bonus_item_remove",
    ),
    path("schemes/<int:pk>/deductions/", views_schemes.deduction_set_view, name="deduction_set"),
    path(
        "schemes/<int:pk>/deductions/<int:deduction_id>/remove/",
        views_schemes.deduction_remove_view,
        name="deduction_remove",
    ),
    path("schemes/<int:pk>/rules/", views_schemes.scheme_rules_view, name="scheme_rules"),
    path("schemes/<int:pk>/evaluation/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/open/", views.evaluation_open, name="evaluation_open"),
    path("evaluations/<int:pk>/compute/", views.evaluation_compute, name="evaluation_compute"),
    path("evaluations/<int:pk>/publish/", views.list_publish, name="list_publish"),
    path("evaluations/<int:pk>/values/", views.value_enter, name="value_enter"),
    path("evaluations/<int:pk>/bonuses/", views.bonus_grant, name="bonus_grant"),
    path("evaluations/<int:pk>/measures/", views.measure_record, name="measure_record"),
    path("evaluations/<int:pk>/measures/<int:measure_id>/withdraw/", views.measure_withdraw, name="measure_withdraw"),
    path("evaluations/<int:pk>/objection/", views.objection_submit, name="objection_submit"),
    path("evaluations/<int:pk>/export/", views.evaluation_export, name="evaluation_export"),
    path("evaluations/<int:pk>/results/<int:organisation_id>/", views.result_detail, name="result"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("editions/<int:pk>/", views.edition_detail, name="edition"),
    path("winners/<int:pk>/certificate/", views.certificate_pdf, name="certificate_pdf"),
    path("winners/<int:pk>/revoke/", views.winner_revoke, name="winner_revoke"),
]
