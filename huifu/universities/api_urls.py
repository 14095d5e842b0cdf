from django.urls import path

from . import api

urlpatterns = [
    path("universities/mous/", api.MouListView.as_view(), name="api-university-mou-list"),
    path("universities/mous/<int:pk>/", api.MouDetailView.as_view(), name="api-university-mou-detail"),
    path("universities/courses/", api.CourseListView.as_view(), name="api-university-course-list"),
    path("universities/courses/<int:pk>/", api.CourseDetailView.as_view(), name="api-university-course-detail"),
    path("universities/students/", api.StudentListView.as_view(), name="api-university-student-list"),
    path("universities/internships/", api.InternshipListView.as_view(), name="api-university-internship-list"),
    path(
        "universities/internships/<int:pk>/",
        api.InternshipDetailView.as_view(),
        name="api-university-internship-detail",
    ),
    path("universities/materials/", api.MaterialListView.as_view(), name="api-university-material-list"),
    path("universities/coverage/", api.CoverageView.as_view(), name="api-university-coverage"),
]
