"""Certificate pages. Thin: check, call a selector or a service, render.

Signed-in: the list (own; a member admin's company; a co-organiser's sessions; staff all), a
certificate's page and its PDF, the issue pages of a session and of a training programme.
Public: ``verify`` (no login) answers valid / revoked / replaced or "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from huifu.accounts.models import User
from huifu.core.http import add_service_errors, require_perm
from huifu.events import selectors as event_selectors
from huifu.events.models import SeriesKind

from . import selectors, services
from .codes import mask_name
from .eligibility import registrations_with_attendance, required_sessions, session_entry
from .filters import CertificateFilter
from .forms import ReissueForm, RevokeForm
from .models import Certificate, CertificateState
from .pdf import certificate_pdf

PAGE_SIZE = 25


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "certificates.view_certificate_list")
    filters = CertificateFilter(request.GET or None, queryset=selectors.certificate_list(user=request.user))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "certificates/list.html",
        {
            "form": filters.form,
            "page": Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": params.urlencode(),
            "can_issue": request.user.has_perm("certificates.issue_certificate"),
        },
    )


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
    require_perm(request, "certificates.view_certificate", certificate)
    can_manage = certificate.is_valid and request.user.has_perm("certificates.revoke_certificate", certificate)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "chain": selectors.certificate_chain(certificate),
            "replaced_by": getattr(certificate, "replaced_by", None) if certificate.is_replaced else None,
            "can_manage": can_manage,
            "revoke_form": RevokeForm(prefix="revoke"),
            "reissue_form": ReissueForm(prefix="reissue", initial={"holder_name": certificate.holder_name}),
        },
    )


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
    require_perm(request, "certificates.view_certificate", certificate)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
    require_perm(request, "certificates.revoke_certificate", certificate)
    form = RevokeForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Certificate %(number)s is revoked.") % {"number": certificate.number})
            return redirect(certificate)
    return _detail_with_errors(request, certificate, revoke_form=form)


@login_required
@require_POST
def certificate_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
    require_perm(request, "certificates.revoke_certificate", certificate)
    form = ReissueForm(request.POST, prefix="reissue")
    if form.is_valid():
        try:
            new = services.certificate_reissue(
                actor=request.user, certificate=certificate, holder_name=form.cleaned_data["holder_name"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Re-issued as %(number)s.") % {"number": new.number})
            return redirect(new)
    return _detail_with_errors(request, certificate, reissue_form=form)


def _detail_with_errors(request: HttpRequest, certificate: Certificate, **forms: object) -> HttpResponse:
    context = {
        "certificate": certificate,
        "chain": selectors.certificate_chain(certificate),
        "replaced_by": None,
        "can_manage": certificate.is_valid,
        "revoke_form": RevokeForm(prefix="revoke"),
        "reissue_form": ReissueForm(prefix="reissue", initial={"holder_name": certificate.holder_name}),
        "open_form": next(iter(forms)),
    }
    context.update(forms)
    return render(request, "certificates/detail.html", context, status=400)


# --- issuing ------------------------------------------------------------------------------------


@login_required
def issue_index(request: HttpRequest) -> HttpResponse:
    """Sessions (latest first, those already held) and training programmes to issue for."""
    require_perm(request, "certificates.issue_certificate")
    today = timezone.localdate()
    sessions = (
        event_selectors.session_list(user=request.user)
        .filter(date__lte=today)
        .prefetch_related(None)
        .order_by("-date", "-pk")[:40]
    )
    series = event_selectors.series_list().filter(kind=SeriesKind.TRAINING)[:20]
    return render(request, "certificates/issue_index.html", {"sessions": sessions, "series_list": series})


@login_required
def session_certificates(request: HttpRequest, session_id: int) -> HttpResponse:
    session = event_selectors.session_get(user=request.user, session_id=session_id)
    require_perm(request, "certificates.view_session_certificates", session)
    certificates = {
        c.holder_id: c
        for c in selectors.session_certificates(session=session).filter(state__in=CertificateState.standing())
    }
    rows = []
    for registration in registrations_with_attendance([session]):
        attended, reason, entry = session_entry(session, registration)
        rows.append(
            {
                "registration": registration,
                "attended": attended,
                "reason": reason,
                "entry": entry,
                "certificate": certificates.get(registration.person_id),
            }
        )
    return render(
        request,
        "certificates/session.html",
        {
            "session": session,
            "rows": rows,
            "eligible_without": sum(1 for r in rows if r["attended"] and r["certificate"] is None),
            "can_issue": request.user.has_perm("certificates.issue_certificate", session),
        },
    )


@login_required
@require_POST
def session_issue(request: HttpRequest, session_id: int) -> HttpResponse:
    session = event_selectors.session_get(user=request.user, session_id=session_id)
    require_perm(request, "certificates.issue_certificate", session)
    person_id = request.POST.get("person", "")
    try:
        if person_id:
            person = User.objects.filter(pk=int(person_id) if person_id.isdigit() else 0).first()
            if person is None:
                raise Http404
            result = services.certificate_issue_attendance(actor=request.user, session=session, person=person)
            if result.created:
                messages.success(request, _("Certificate %(number)s issued.") % {"number": result.certificate.number})
            else:
                messages.info(
                    request, _("Already issued: certificate %(number)s.") % {"number": result.certificate.number}
                )
        else:
            bulk = services.certificate_issue_session_bulk(actor=request.user, session=session)
            messages.success(
                request,
                ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", len(bulk.issued))
                % {"count": len(bulk.issued)}
                + " "
                + _("%(existing)d already held one; %(refused)d did not attend.")
                % {"existing": len(bulk.existing), "refused": len(bulk.refused)},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("certificates:session", session_id=session.pk)


@login_required
def series_certificates(request: HttpRequest, series_id: int) -> HttpResponse:
    require_perm(request, "certificates.issue_certificate")
    series = event_selectors.series_get(series_id=series_id)
    sessions = required_sessions(series)
    certificates = {
        c.holder_id: c
        for c in selectors.certificate_list(user=request.user).filter(
            series=series, kind="completion", state__in=CertificateState.standing()
        )
    }
    people: dict[int, dict[str, object]] = {}
    for registration in registrations_with_attendance(sessions):
        row = people.setdefault(
            registration.person_id, {"person": registration.person, "organisation": registration.organisation, "by": {}}
        )
        row["by"][registration.session_id] = registration
    rows = []
    for row in people.values():
        attended = [session_entry(s, row["by"].get(s.pk))[0] for s in sessions]
        rows.append(
            {
                **row,
                "attended": attended,
                "complete": all(attended),
                "certificate": certificates.get(row["person"].pk),
            }
        )
    rows.sort(key=lambda r: (r["person"].full_name, r["person"].pk))
    return render(request, "certificates/series.html", {"series": series, "sessions": sessions, "rows": rows})


@login_required
@require_POST
def series_issue(request: HttpRequest, series_id: int) -> HttpResponse:
    require_perm(request, "certificates.issue_certificate")
    series = event_selectors.series_get(series_id=series_id)
    person_id = request.POST.get("person", "")
    person = User.objects.filter(pk=int(person_id) if person_id.isdigit() else 0).first()
    if person is None:
        raise Http404
    try:
        result = services.certificate_issue_completion(actor=request.user, series=series, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.created:
            messages.success(request, _("Certificate %(number)s issued.") % {"number": result.certificate.number})
        else:
            messages.info(request, _("Already issued: certificate %(number)s.") % {"number": result.certificate.number})
    return redirect("certificates:series", series_id=series.pk)


# --- public -------------------------------------------------------------------------------------


VERIFY_PER_MINUTE = 30  # checks per client address and minute; a person scanning a few codes never meets it


def _too_many_checks(request: HttpRequest) -> bool:
    """Count this check for the client's address in the current minute (shared cache)."""
    import time

    from django.core.cache import cache

    from huifu.accounts.lockout import client_address

    key = f"certificates:verify:{client_address(request) or '-'}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        return cache.incr(key) > VERIFY_PER_MINUTE
    except ValueError:  # expired between add and incr
        return False


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public check of a certificate: anyone, no login. Shows the state, kind, title, dates
    and the holder's name partly masked; nothing else (no company, no e-mail, no eligibility).
    Codes cannot be walked (HMAC, ``codes.py``); beyond ``VERIFY_PER_MINUTE`` checks a minute
    from one address the page answers 429 without looking anything up."""
    if _too_many_checks(request):
        response = render(request, "certificates/verify_not_found.html", {"throttled": True}, status=429)
        response["Retry-After"] = "60"
        return response
    certificate = selectors.certificate_verify(code=code)
    if certificate is None:
        response = render(request, "certificates/verify_not_found.html", status=404)
    else:
        replaced_by = getattr(certificate, "replaced_by", None) if certificate.is_replaced else None
        response = render(
            request,
            "certificates/verify.html",
            {"certificate": certificate, "masked_name": mask_name(certificate.holder_name), "replaced_by": replaced_by},
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
