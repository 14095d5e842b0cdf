"""The site identity in the admin: Member Management (and superusers) edit the one row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from huifu.accounts.predicates import is_coordinator

from .models import SiteIdentity


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "platform_zh", "phone", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _allowed(self, request: Any) -> bool:
        return bool(request.user.is_superuser or is_coordinator(request.user))

    def has_module_permission(self, request: Any) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: Any) -> bool:
        return self._allowed(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
