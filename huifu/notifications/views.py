"""The notification centre: the list, opening one (marks it read), marking read, preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .kinds import KINDS

PAGE_SIZE = 30


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_GET
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its record, marking it read on the way."""
    notification = selectors.notification_get(user=request.user, notification_id=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, notification_id=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.headers.get("HX-Request"):
        response = render(request, "notifications/_item.html", {"n": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("notifications:list")


@require_GET
@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The bell alone, refreshed by htmx after a notification is marked read on the list."""
    return render(request, "notifications/_bell.html")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        choices = {
            code: {
                "email": request.POST.get(f"{code}-email") == "on",
                "webhook": request.POST.get(f"{code}-webhook") == "on",
            }
            for code in KINDS
        }
        services.preferences_save(user=request.user, choices=choices)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"rows": selectors.preferences_for(user=request.user)})
