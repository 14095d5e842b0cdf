"""REST API of university cooperation, /api/v1/universities/…: the same permissions and
selectors as the pages (a university reads its own MOUs, courses, students and internships; a
member its own interns; staff everything). MOUs, courses and internships are registered through
the API as on the pages, by the same services (an overlap, a term outside the MOU: 400 naming
the field)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.http import require_perm
from huifu.directory.models import Department, Organisation, OrganisationKind

from . import figures, selectors, services
from .models import Internship, JointCourse, MaterialEdition, Mou, Student, TeachingMaterial


class MouCounterpartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)


class UniversityMouSerializer(serializers.ModelSerializer):
    university_name = serializers.CharField(source="university.name_zh", read_only=True)
    counterparts = MouCounterpartSerializer(many=True, required=False)
    university = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY)
    )
    renews = serializers.PrimaryKeyRelatedField(queryset=Mou.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Mou
        fields = [
            "id",
            "university",
            "university_name",
            "title",
            "signed_on",
            "starts_on",
            "ends_on",
            "counterparts",
            "courses_per_year",
            "lectures_per_year",
            "internships_per_year",
            "research_topics_per_year",
            "remind_working_days",
            "renews",
            "notes",
        ]


class JointCourseSerializer(serializers.ModelSerializer):
    university_name = serializers.CharField(source="university.name_zh", read_only=True)
    enrolled = serializers.IntegerField(source="enrolled_count", read_only=True)
    completed = serializers.IntegerField(source="completed_count", read_only=True)
    lecturers = serializers.SerializerMethodField()

    class Meta:
        model = JointCourse
        fields = [
            "id",
            "mou",
            "university",
            "university_name",
            "title",
            "academic_year",
            "semester",
            "starts_on",
            "ends_on",
            "hours",
            "lecturers",
            "enrolled",
            "completed",
        ]
        read_only_fields = ["university"]

    def get_lecturers(self, course: JointCourse) -> list[dict[str, Any]]:
        return [
            {"name": item.name, "kind": item.kind, "organisation": item.organisation_id, "hours": str(item.hours)}
            for item in course.lecturers.all()
        ]


class UniversityStudentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Student
        fields = ["id", "university", "student_number", "name", "major", "grade", "erased_at"]
        read_only_fields = fields


class UniversityInternshipSerializer(serializers.ModelSerializer):
    student = UniversityStudentSerializer(read_only=True)
    student_number = serializers.CharField(write_only=True, max_length=32)
    name = serializers.CharField(write_only=True, max_length=60)
    major = serializers.CharField(write_only=True, max_length=100, required=False, allow_blank=True)
    grade = serializers.CharField(write_only=True, max_length=20, required=False, allow_blank=True)
    host_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    host_company = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind__in=OrganisationKind.member_kinds()), required=False, allow_null=True
    )

    class Meta:
        model = Internship
        fields = [
            "id",
            "mou",
            "university",
            "student",
            "student_number",
            "name",
            "major",
            "grade",
            "host_department",
            "host_company",
            "starts_on",
            "ends_on",
            "evaluation",
        ]
        read_only_fields = ["university", "evaluation"]


class TeachingEditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialEdition
        fields = ["id", "number", "published_on", "changes"]
        read_only_fields = fields


class TeachingMaterialSerializer(serializers.ModelSerializer):
    editions = TeachingEditionSerializer(many=True, read_only=True)

    class Meta:
        model = TeachingMaterial
        fields = ["id", "kind", "title", "authors", "description", "editions"]
        read_only_fields = fields


class UniversityCoverageSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    figures = serializers.DictField()
    definitions = serializers.DictField(child=serializers.CharField())
    per_university = serializers.ListField(child=serializers.DictField())


def _paged(view: APIView, request: Request, qs: Any, serializer: type[serializers.Serializer]) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _mous_for(request: Request) -> Any:
    return selectors.mou_list(user=request.user)


class MouListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=UniversityMouSerializer(many=True))
    def get(self, request: Request) -> Response:
        """MOUs the caller may see (a university: its own)."""
        require_perm(request, "universities.view")
        return _paged(self, request, selectors.mou_list(user=request.user), UniversityMouSerializer)

    @extend_schema(request=UniversityMouSerializer, responses={201: UniversityMouSerializer})
    def post(self, request: Request) -> Response:
        """Register an MOU (staff). An overlapping term without ``renews`` is refused (400)."""
        require_perm(request, "universities.manage")
        serializer = UniversityMouSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        renews = data.pop("renews", None)
        if renews is not None:
            renews = selectors.mou_get(user=request.user, mou_id=renews.pk)
        counterparts = [(c["name"], c.get("role", "")) for c in data.pop("counterparts", [])]
        mou = services.mou_create(
            actor=request.user,
            university=data.pop("university"),
            counterparts=counterparts,
            renews=renews,
            owner=request.user,
            **data,
        )
        return Response(UniversityMouSerializer(selectors.mou_get(user=request.user, mou_id=mou.pk)).data, status=201)


class MouDetailView(APIView):
    @extend_schema(responses=UniversityMouSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "universities.view")
        mou = selectors.mou_get(user=request.user, mou_id=pk)
        data = UniversityMouSerializer(mou).data
        data["obligations"] = [
            {"year": row.year, **{key: {"planned": p, "delivered": d} for key, _l, p, d in row.figures}}
            for row in figures.obligations(mou)
        ]
        return Response(data)


class CourseListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=JointCourseSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "universities.view")
        return _paged(self, request, selectors.course_list(user=request.user), JointCourseSerializer)


class CourseDetailView(APIView):
    @extend_schema(responses=JointCourseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "universities.view")
        return Response(JointCourseSerializer(selectors.course_get(user=request.user, course_id=pk)).data)


class StudentListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=UniversityStudentSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "universities.view")
        return _paged(self, request, selectors.student_list(user=request.user), UniversityStudentSerializer)


class InternshipListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=UniversityInternshipSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Internships the caller may see (a member company: the interns it hosts)."""
        require_perm(request, "universities.view_internships")
        return _paged(self, request, selectors.internship_list(user=request.user), UniversityInternshipSerializer)

    @extend_schema(request=UniversityInternshipSerializer, responses={201: UniversityInternshipSerializer})
    def post(self, request: Request) -> Response:
        """Register an internship (staff); dates outside the MOU's term are refused (400)."""
        require_perm(request, "universities.manage")
        serializer = UniversityInternshipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mou = selectors.mou_get(user=request.user, mou_id=data["mou"].pk)
        internship = services.internship_create(
            actor=request.user,
            mou=mou,
            student={k: data.get(k, "") for k in ("student_number", "name", "major", "grade")},
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            host_department=data.get("host_department"),
            host_company=data.get("host_company"),
        )
        return Response(UniversityInternshipSerializer(internship).data, status=201)


class InternshipDetailView(APIView):
    @extend_schema(responses=UniversityInternshipSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "universities.view_internships")
        return Response(
            UniversityInternshipSerializer(selectors.internship_get(user=request.user, internship_id=pk)).data
        )


class MaterialListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=TeachingMaterialSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "universities.view_materials")
        qs = selectors.material_list(user=request.user).prefetch_related("editions")
        return _paged(self, request, qs, TeachingMaterialSerializer)


class CoverageView(APIView):
    @extend_schema(
        responses=UniversityCoverageSerializer,
        parameters=[OpenApiParameter("year", int, description="Calendar year (default: this year)")],
    )
    def get(self, request: Request) -> Response:
        """The year's coverage figures, each with its definition (a university: its own)."""
        require_perm(request, "universities.view")
        from .views import _year

        cov = figures.coverage(user=request.user, year=_year(request))
        return Response(
            {
                "year": cov.year,
                "figures": {k: (str(v) if not isinstance(v, int) else v) for k, v in cov.figures.items()},
                "definitions": {k: str(v) for k, v in figures.DEFINITIONS.items()},
                "per_university": [{**row, "hours": str(row["hours"])} for row in cov.per_university],
            }
        )
