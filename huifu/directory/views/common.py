from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huifu.core import spreadsheets


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """403 unless the user has ``perm`` (on ``obj``). Fetch objects through a selector first, so
    another organisation's object has already answered 404."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    return spreadsheets.download(content, f"{stem}-{timezone.localdate():%Y%m%d}.xlsx")


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    cancel_url: str,
    submit: str = "",
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "submit": submit, "intro": intro},
        status=status,
    )
