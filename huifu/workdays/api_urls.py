from django.urls import path

from . import api

urlpatterns = [
    path("workdays/add/", api.WorkdayAddApi.as_view(), name="workdays-add"),
    path("workdays/years/", api.CalendarYearListApi.as_view(), name="workdays-years"),
    path("workdays/years/<int:year>/", api.CalendarYearDetailApi.as_view(), name="workdays-year"),
    path("workdays/<str:day>/", api.WorkdayDayApi.as_view(), name="workdays-day"),
]
