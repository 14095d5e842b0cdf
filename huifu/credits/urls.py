from django.urls import path

from . import views

app_name = "credits"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/statement.pdf", views.statement_pdf, name="statement_pdf"),
    path("people/<int:pk>/statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("company/", views.company, name="company"),
    path("company/export.xlsx", views.company_xlsx, name="company_xlsx"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim, name="claim"),
    path("deferrals/new/", views.deferral_create, name="deferral_create"),
    path("deferrals/<int:pk>/", views.deferral, name="deferral"),
    path("decisions/", views.decisions, name="decisions"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("categories/new/", views.category_edit, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/", views.session_hours, name="session_hours"),
]
