from django.urls import path

from .views import exports, plans, profiles

app_name = "deepening"
urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/enterprises/", plans.enterprise_add, name="enterprise_add"),
    path("plans/<int:pk>/enterprises/<int:entry_id>/remove/", plans.enterprise_remove, name="enterprise_remove"),
    path("plans/<int:pk>/activities/", plans.activity_add, name="activity_add"),
    path("plans/<int:pk>/activities/<int:activity_id>/remove/", plans.activity_remove, name="activity_remove"),
    path("plans/<int:pk>/activities/<int:activity_id>/report/", plans.activity_report, name="activity_report"),
    path("plans/<int:pk>/budget-lines/", plans.line_add, name="line_add"),
    path("plans/<int:pk>/budget-lines/<int:line_id>/remove/", plans.line_remove, name="line_remove"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan_return"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/reject/", plans.plan_reject, name="plan_reject"),
    path("plans/<int:pk>/complete/", plans.plan_complete, name="plan_complete"),
    path("plans/<int:pk>/close/", plans.plan_close, name="plan_close"),
    path("plans/<int:pk>/notes/", plans.note_add, name="note_add"),
    path("plans/<int:pk>/summary.pdf", exports.plan_summary_pdf, name="plan_pdf"),
    path("export/<int:year>.xlsx", exports.plans_export, name="plans_export"),
    path("enterprises/", profiles.profile_list, name="profile_list"),
    path("enterprises/new/", profiles.profile_create, name="profile_create"),
    path("enterprises/<int:pk>/", profiles.profile_detail, name="profile_detail"),
    path("enterprises/<int:pk>/edit/", profiles.profile_edit, name="profile_edit"),
    path("enterprises/<int:pk>/contacts/", profiles.contact_add, name="contact_add"),
    path("enterprises/<int:pk>/register/", profiles.register_enterprise, name="register_enterprise"),
]
