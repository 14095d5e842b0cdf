"""Reply-letter rules per year, edited by Member Management in the admin (business knobs are data)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from huifu.accounts.predicates import is_coordinator

from .models import ReplyLetterPrefix, ReplyLetterSetting


class ReplyLetterPrefixInline(admin.TabularInline):
    """Each issuing department's own prefix in the year; departments not listed issue under the
    year's default prefix, in one shared series (services.replies.letter_prefix)."""

    model = ReplyLetterPrefix
    extra = 1
    autocomplete_fields: list[str] = []

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.is_superuser or is_coordinator(request.user))

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission  # type: ignore[assignment]


@admin.register(ReplyLetterSetting)
class ReplyLetterSettingAdmin(admin.ModelAdmin):
    list_display = ["year", "second_approval", "doc_prefix"]
    ordering = ["-year"]
    inlines = [ReplyLetterPrefixInline]

    def _allowed(self, request: Any) -> bool:
        return bool(request.user.is_superuser or is_coordinator(request.user))

    def has_module_permission(self, request: Any) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)
