from django.contrib import admin

from .models import ReviewCheckItem


@admin.register(ReviewCheckItem)
class ReviewCheckItemAdmin(admin.ModelAdmin):
    list_display = ("code", "label_zh", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
