"""Member Management assigns every item of a Member Voice form on one page (issue 10, point 5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huifu.core.http import add_service_errors, require_perm

from . import selectors
from .assign_forms import FormAssignForm
from .services.assign import form_assign


@login_required
def form_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "servicedesk.view_feedback_list")
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.assign_item", fb)
    items = list(fb.items.all())
    if request.method == "POST":
        form = FormAssignForm(request.POST, items=items)
        if form.is_valid():
            try:
                done = form_assign(form=fb, assignments=form.assignments(), actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
                if hasattr(exc, "error_dict"):
                    form.add_error(None, _("Nothing was assigned: correct the items marked below."))
            else:
                messages.success(request, _("%(n)s items assigned.") % {"n": len(done)})
                return redirect(fb.get_absolute_url())
        return render(request, "servicedesk/assign.html", {"fb": fb, "form": form}, status=400)
    return render(request, "servicedesk/assign.html", {"fb": fb, "form": FormAssignForm(items=items)})
