"""Read API of the working-day calendar, for every authenticated user (token or session).

GET /api/v1/workdays/<date>/                    what a date is
GET /api/v1/workdays/add/?start=…&days=…        start + N working days (with warnings)
GET /api/v1/workdays/years/                     year records (published or not)
GET /api/v1/workdays/years/<year>/              one year with its special days
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .engine import MAX_WORKING_DAYS, DayInfo
from .models import MAX_YEAR, MIN_YEAR, CalendarYear
from .selectors import calendar_snapshot, calendar_years_for


class CanViewCalendar(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("workdays.view_calendar"))


def _check_range(value: datetime.date) -> datetime.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise serializers.ValidationError(
            _("Dates must be between the years %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return value


class DayQuerySerializer(serializers.Serializer):
    date = serializers.DateField(input_formats=["iso-8601"], validators=[_check_range])


class AddQuerySerializer(serializers.Serializer):
    start = serializers.DateField(input_formats=["iso-8601"], validators=[_check_range])
    days = serializers.IntegerField(min_value=-MAX_WORKING_DAYS, max_value=MAX_WORKING_DAYS)


class DayInfoSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    weekday = serializers.SerializerMethodField(help_text="ISO weekday, 1 = Monday … 7 = Sunday")
    is_working_day = serializers.BooleanField()
    kind = serializers.CharField(help_text="workday, weekend, holiday (a day off) or makeup_workday (调休上班日)")
    holiday = serializers.CharField(help_text="holiday code, e.g. spring_festival; empty on an ordinary day")
    holiday_name = serializers.CharField(source="holiday_label")
    year_published = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())

    def get_weekday(self, info: DayInfo) -> int:
        return info.day.isoweekday()


class AddResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField()
    provisional = serializers.BooleanField()
    unpublished_years = serializers.ListField(child=serializers.IntegerField())
    warnings = serializers.ListField(child=serializers.CharField())


class CalendarYearSerializer(serializers.ModelSerializer):
    published = serializers.BooleanField(source="is_published")
    status = serializers.CharField(help_text="published or not_published")

    class Meta:
        model = CalendarYear
        fields = ["year", "status", "published", "source", "notes", "updated_at"]


def _service_call(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})


class WorkdayDayApi(APIView):
    permission_classes = [CanViewCalendar]

    @extend_schema(
        summary="What a date is in the working-day calendar",
        responses=DayInfoSerializer,
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, day: str) -> Response:
        query = DayQuerySerializer(data={"date": day})
        query.is_valid(raise_exception=True)
        info = _service_call(services.day_info, query.validated_data["date"])
        return Response(DayInfoSerializer(info).data)


class WorkdayAddApi(APIView):
    permission_classes = [CanViewCalendar]

    @extend_schema(
        summary="Add working days to a date",
        description=(
            "Counting starts the day after `start`; `days=0` gives `start` if it is a working day, otherwise "
            "the next working day; negative `days` count back. `provisional` is true, and `warnings` names the "
            "year, when a year without a published schedule was involved."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("days", OpenApiTypes.INT, required=True),
        ],
        responses=AddResultSerializer,
    )
    def get(self, request: Request) -> Response:
        query = AddQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        result = _service_call(services.add_working_days, start, days)
        data = {
            "start": start,
            "days": days,
            "date": result.date,
            "provisional": result.provisional,
            "unpublished_years": list(result.unpublished_years),
            "warnings": result.warnings,
        }
        return Response(AddResultSerializer(data).data)


class CalendarYearListApi(ListAPIView):
    permission_classes = [CanViewCalendar]
    serializer_class = CalendarYearSerializer

    def get_queryset(self):  # noqa: ANN201
        return calendar_years_for(self.request.user)

    @extend_schema(summary="Calendar years and whether their official schedule is published")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CalendarYearDetailApi(APIView):
    permission_classes = [CanViewCalendar]

    @extend_schema(
        summary="One calendar year with its special days",
        responses=inline_serializer(
            "CalendarYearDetail",
            {
                "year": serializers.IntegerField(),
                "published": serializers.BooleanField(),
                "status": serializers.CharField(),
                "source": serializers.CharField(),
                "notes": serializers.CharField(),
                "warnings": serializers.ListField(child=serializers.CharField()),
                "special_days": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request, year: int) -> Response:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404
        snapshot = calendar_snapshot()
        schedule = snapshot.year(year)
        warnings = [] if schedule.published else snapshot.day_info(datetime.date(year, 1, 1)).warnings
        return Response(
            {
                "year": year,
                "published": schedule.published,
                "status": schedule.status or "not_published",
                "source": schedule.source,
                "notes": schedule.notes,
                "warnings": warnings,
                "special_days": [
                    {
                        "date": day.isoformat(),
                        "kind": entry.kind,
                        "holiday": entry.holiday,
                        "holiday_name": entry.holiday_label,
                    }
                    for day, entry in snapshot.special_days(year)
                ],
            }
        )
