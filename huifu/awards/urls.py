from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/next/", views.scheme_next_version, name="scheme_next"),
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
