"""Excel import and export of organisations and contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from huifu.core.filters import page_filter

from .. import importers, selectors
from ..filters import OrganisationListFilter
from ..forms import ImportForm
from ..services.transfer import export_record, keep_upload
from ..xlsx import (
    CONTACT_COLUMNS,
    ORGANISATION_COLUMNS,
    ImportFileError,
    export_contacts,
    export_errors,
    export_organisations,
    template,
)
from .common import require, xlsx_response

ERRORS_SESSION_KEY = "directory_import_errors"
MAX_ERRORS_SHOWN = 500


def _filtered_organisations(request: HttpRequest) -> Any:
    """The list page's organisations: the same FilterSet (directory/filters.py) on the same query string."""
    return page_filter(OrganisationListFilter, request, selectors.organisation_list(user=request.user)).qs


@login_required
def organisations_export(request: HttpRequest) -> HttpResponse:
    """Organisations the user may see (staff: all, with the list's filters; org users: their own)."""
    require(request, "directory.export_directory")
    organisations = list(_filtered_organisations(request))
    content = export_organisations(organisations)
    export_record(actor=request.user, what="organisations", count=len(organisations))
    return xlsx_response(content, "organisations")


@login_required
def contacts_export(request: HttpRequest) -> HttpResponse:
    require(request, "directory.export_directory")
    contacts = list(selectors.contacts_for_export(user=request.user, organisations=_filtered_organisations(request)))
    content = export_contacts(contacts)
    export_record(actor=request.user, what="contacts", count=len(contacts))
    return xlsx_response(content, "contacts")


@login_required
def import_template(request: HttpRequest, what: str) -> HttpResponse:
    require(request, "directory.import_directory")
    if what == "organisations":
        return xlsx_response(template(ORGANISATION_COLUMNS, "机构"), "organisations-template")
    if what == "contacts":
        return xlsx_response(template(CONTACT_COLUMNS, "联系人"), "contacts-template")
    raise Http404


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file; every row is checked first, and a file with a bad row imports nothing."""
    require(request, "directory.import_directory")
    form = ImportForm(request.POST or None, request.FILES or None, uploader=request.user)
    result: importers.ImportResult | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        what = form.cleaned_data["what"]
        run = importers.import_organisations if what == "organisations" else importers.import_contacts
        try:
            keep_upload(upload=upload, actor=request.user)
            result = run(actor=request.user, source=upload, file_name=upload.name)
        except (ImportFileError, ValidationError) as exc:
            form.add_error("file", exc.messages if isinstance(exc, ValidationError) else str(exc))
            status = 400
        else:
            if result.ok:
                request.session.pop(ERRORS_SESSION_KEY, None)
                messages.success(
                    request,
                    _("Imported %(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {
                        "rows": result.rows,
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
            else:
                request.session[ERRORS_SESSION_KEY] = [e.as_list() for e in result.errors]
                status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "directory/import.html", {
        "form": form,
        "result": result,
        "errors": result.errors[:MAX_ERRORS_SHOWN] if result else [],
        "organisation_headers": [c.header + ("*" if c.required else "") for c in ORGANISATION_COLUMNS],
        "contact_headers": [c.header + ("*" if c.required else "") for c in CONTACT_COLUMNS],
    }, status=status)  # fmt: skip


@login_required
def import_errors(request: HttpRequest) -> HttpResponse:
    """The last failed import's error report as .xlsx (kept in the user's session)."""
    require(request, "directory.import_directory")
    errors = request.session.get(ERRORS_SESSION_KEY)
    if not errors:
        raise Http404
    return xlsx_response(export_errors(errors), "import-errors")
