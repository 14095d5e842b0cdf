from django.contrib import admin

from .models import RetentionSetting


@admin.register(RetentionSetting)
class RetentionSettingAdmin(admin.ModelAdmin):
    """The retention period of students' personal data is data, edited here by staff."""

    list_display = ("months", "updated_at")
