from django.urls import path

from . import exports, views

app_name = "universities"

urlpatterns = [
    path("", views.mou_list, name="mou_list"),
    path("mous/new/", views.mou_create, name="mou_create"),
    path("mous/export/", exports.mous_export, name="mou_export"),
    path("mous/<int:pk>/", views.mou_detail, name="mou_detail"),
    path("mous/<int:renews>/renew/", views.mou_create, name="mou_renew"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/export/", exports.courses_export, name="course_export"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("enrolments/<int:pk>/completed/", views.enrolment_toggle, name="enrolment_toggle"),
    path("lectures/", views.lecture_list, name="lecture_list"),
    path("lectures/<int:pk>/", views.lecture_detail, name="lecture_detail"),
    path("internships/", views.internship_list, name="internship_list"),
    path("internships/new/", views.internship_create, name="internship_create"),
    path("internships/export/", exports.internships_export, name="internship_export"),
    path("internships/<int:pk>/", views.internship_detail, name="internship_detail"),
    path("students/", views.student_list, name="student_list"),
    path("materials/", views.material_list, name="material_list"),
    path("materials/<int:pk>/", views.material_detail, name="material_detail"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", exports.coverage_export, name="coverage_export"),
]
