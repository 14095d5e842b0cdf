"""The audit trail in the Django admin: readable by staff, never added to, changed or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AuditEvent
from .selectors import can_read_history


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id", "message"]
    date_hierarchy = "at"
    list_select_related = ["target_type"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return can_read_history(request.user)

    def has_module_permission(self, request: Any) -> bool:
        return can_read_history(request.user)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
