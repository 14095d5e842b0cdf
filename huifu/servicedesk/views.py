"""Member Voice pages. Thin: parse input, call a selector or a service, render.

Members: list (own company), new form, form detail (deadline, reply, meeting, collective
answers, clarification answer, satisfaction). Staff: list with filters, form detail with items,
item detail (assignment, answers, topics, similar items), reply composition and sending, topics
with collective answers, reports with Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huifu.accounts.predicates import is_staff_user
from huifu.core import spreadsheets
from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm
from huifu.core.keyset import keyset_page
from huifu.files import kinds
from huifu.files.services import file_store
from huifu.tracking.services import tracked_for

from . import reports, selectors, services
from .filters import FormFilter
from .forms import (
    AnswerForm,
    AssignForm,
    ClarifyForm,
    CollectiveForm,
    DraftContactForm,
    FeedbackFormForm,
    MinutesForm,
    PauseForm,
    RatingForm,
    ReplyForm,
    ReportFilterForm,
    TopicForm,
    TopicsForm,
    lines,
)
from .intake_report import report_rows
from .models import AnswerMode, ReplyStatus, Topic
from .progress import form_progress
from .services.common import FORM_KIND, SEAL_PURPOSE

PAGE_SIZE = 20


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(request: HttpRequest, qs: Any) -> Any:
    """A page of ``form_list``: the page's ids first (an index walk, no per-row sub-queries for
    the skipped rows), then those rows with their columns (item count, deadline, reply)."""
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = {form.pk: form for form in qs.filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def _qs(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("after", None)
    return params.urlencode()


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "servicedesk.view_feedback_list")
    staff = is_staff_user(request.user)
    filters = page_filter(FormFilter, request, selectors.forms_for(request.user))
    if filters.search:
        # Search results page by keyset (``?after=``) with a capped count: a common word matches
        # most forms, and page numbers would count and skip them all (issue #9).
        parts = selectors.form_row_parts(filters.qs, search=filters.search)
        page = keyset_page(parts, by="-received_at", cursor=request.GET.get("after"), size=PAGE_SIZE)
        page.extra["count"] = selectors.search_count(parts)
    else:
        page = _form_page(request, selectors.form_rows(filters.qs))
    return render(
        request,
        "servicedesk/list.html",
        {
            "form": filters.form,
            "page": page,
            "querystring": _qs(request),
            "staff": staff,
            "now": timezone.now(),
            "can_submit": not staff and request.user.has_perm("servicedesk.submit_feedback", request.user.organisation),
        },
    )


@login_required
def feedback_new(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    if is_staff_user(request.user) or not request.user.has_perm("servicedesk.submit_feedback", organisation):
        raise PermissionDenied
    if request.method == "POST":
        form = FeedbackFormForm(request.POST, request.FILES, uploader=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                seal = None
                if d.get("seal_scan"):
                    seal = file_store(
                        upload=d["seal_scan"],
                        actor=request.user,
                        organisation=organisation,
                        purpose=SEAL_PURPOSE,
                        allowed_kinds=(kinds.PDF, kinds.PNG, kinds.JPEG),
                    )
                created = services.feedback_submit(
                    organisation=organisation,
                    actor=request.user,
                    contact_name=d["contact_name"],
                    phone=d["phone"],
                    email=d["email"],
                    form_date=d["form_date"],
                    suggestions=lines(d["suggestions"]),
                    help_requests=lines(d["help_requests"]),
                    seal_scan=seal,
                    idempotency_key=d["idempotency_key"],
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    exc = ValidationError({"seal_scan": exc.messages})
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your feedback No. %(serial)s has been submitted.") % {"serial": created.serial_display}
                )
                return redirect(created.get_absolute_url())
    else:
        user = request.user
        form = FeedbackFormForm(
            initial={
                "contact_name": user.full_name,
                "phone": user.phone,
                "email": user.email,
                "form_date": timezone.localdate(),
            }
        )
    return render(request, "servicedesk/new.html", {"form": form, "organisation": organisation})


def _form_context(request: HttpRequest, form: Any) -> dict[str, Any]:
    user = request.user
    reply = selectors.reply_for(user=user, form=form)
    visible_ca = set(selectors.collective_answers_for(user).values_list("pk", flat=True))
    ctx: dict[str, Any] = {
        "fb": form,
        "tracked": tracked_for(form, FORM_KIND),
        "reply": reply,
        "staff": is_staff_user(user),
        "visible_ca": visible_ca,
        "can_manage": user.has_perm("servicedesk.manage_feedback"),
        "can_compose": user.has_perm("servicedesk.compose_reply"),
        "can_approve": user.has_perm("servicedesk.approve_reply"),
        "can_clarify": form.status == "waiting_member" and user.has_perm("servicedesk.answer_clarification", form),
        "can_rate": reply is not None and reply.status == "sent" and user.has_perm("servicedesk.rate_reply", reply),
        "reply_actions": services.reply_actions(reply=reply, user=user),
        "intake_rows": report_rows(form.intake_report),
    }
    ctx["can_accept"] = ctx["can_manage"] and form.status == "draft"
    if ctx["can_accept"]:
        ctx["draft_form"] = DraftContactForm(
            initial={
                "contact_name": form.contact_name,
                "phone": form.phone,
                "email": form.email,
                "form_date": form.form_date,
            }
        )
    if ctx["can_manage"]:
        ctx["pause_form"] = PauseForm()
    if ctx["can_compose"]:
        initial = (
            {
                "mode": reply.mode,
                "text": reply.text,
                "meeting_link": reply.meeting_link,
                "attendees": reply.attendees,
                "meeting_minutes": reply.meeting_minutes,
            }
            if reply
            else {}
        )
        ctx["reply_form"] = ReplyForm(initial=initial)
        if reply is not None and reply.mode == "meeting":
            ctx["minutes_form"] = MinutesForm(initial={"minutes": reply.minutes})
    if ctx["can_clarify"]:
        ctx["clarify_form"] = ClarifyForm()
    ctx["stepper"] = form_progress(form, user=user, tracked=ctx["tracked"], reply=reply)
    if ctx["can_rate"]:
        sat = getattr(reply, "satisfaction", None) if hasattr(reply, "satisfaction") else None
        ctx["satisfaction"] = sat
        ctx["rating_form"] = RatingForm(initial={"rating": sat.rating, "comment": sat.comment} if sat else None)
    return ctx


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "servicedesk.view_feedback_list")
    form = selectors.form_get(user=request.user, form_id=pk)
    context = _form_context(request, form)
    services.reply_mark_read(user=request.user, reply=context["reply"])  # opened: no longer "to read"
    return render(request, "servicedesk/detail.html", context)


def _action(request: HttpRequest, pk: int, perm: str, form_class: Any, call: Any, ok: str) -> HttpResponse:
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, perm, fb)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(fb, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, ok)
            return redirect(fb.get_absolute_url())
    ctx = _form_context(request, fb)
    key = {
        PauseForm: "pause_form",
        ClarifyForm: "clarify_form",
        ReplyForm: "reply_form",
        RatingForm: "rating_form",
        MinutesForm: "minutes_form",
    }.get(form_class, "action_form")
    ctx[key] = form
    return render(request, "servicedesk/detail.html", ctx, status=400)


@login_required
@require_POST
def form_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "servicedesk.manage_feedback",
        PauseForm,
        lambda fb, d: services.feedback_pause(form=fb, reason=d["reason"], actor=request.user),
        _("The member has been asked; the clock is paused."),
    )


@login_required
@require_POST
def form_clarify(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "servicedesk.answer_clarification",
        ClarifyForm,
        lambda fb, d: services.feedback_member_answer(form=fb, text=d["text"], actor=request.user),
        _("Thank you. The exchange continues with your feedback."),
    )


@login_required
@require_POST
def form_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.manage_feedback")
    try:
        services.feedback_confirm_draft(form=fb, actor=request.user)
        messages.success(request, _("The draft has been confirmed and numbered."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(fb.get_absolute_url())


@login_required
@require_POST
def form_correct_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff fill in or correct a draft's contact fields and date (its items are kept)."""
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.manage_feedback")
    form = DraftContactForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(fb.get_absolute_url())
    items = list(fb.items.order_by("kind", "number").values_list("kind", "text"))
    try:
        services.feedback_update_draft(
            form=fb,
            actor=request.user,
            **form.cleaned_data,
            suggestions=[text for kind, text in items if kind == "suggestion"],
            help_requests=[text for kind, text in items if kind == "help_request"],
        )
        messages.success(request, _("The draft was corrected."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(fb.get_absolute_url())


@login_required
@require_POST
def form_accept_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff accept a value suggested for a field the document did not give (draft only)."""
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.manage_feedback")
    try:
        services.feedback_accept_suggestion(form=fb, actor=request.user, field=request.POST.get("field", ""))
        messages.success(request, _("The suggested value was accepted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(fb.get_absolute_url())


@login_required
@require_POST
def form_close(request: HttpRequest, pk: int) -> HttpResponse:
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.manage_feedback")
    try:
        services.feedback_close(form=fb, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(fb.get_absolute_url())


@login_required
@require_POST
def reply_compose(request: HttpRequest, pk: int) -> HttpResponse:
    def call(fb: Any, d: dict[str, Any]) -> None:
        services.reply_compose(
            form=fb,
            mode=d["mode"],
            actor=request.user,
            text=d.get("text"),
            meeting_at=d.get("meeting_at"),
            meeting_minutes=d.get("meeting_minutes") or 60,
            meeting_link=d.get("meeting_link") or "",
            attendees=d.get("attendees") or "",
        )

    return _action(request, pk, "servicedesk.compose_reply", ReplyForm, call, _("The reply draft has been saved."))


@login_required
@require_POST
def reply_send(request: HttpRequest, pk: int) -> HttpResponse:
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.approve_reply")
    reply = selectors.reply_for(user=request.user, form=fb)
    if reply is None:
        raise Http404
    try:
        reply = services.reply_approve_send(reply=reply, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if reply.status == ReplyStatus.PENDING_APPROVAL:
            messages.success(request, _("The reply waits for the second approval."))
        else:
            messages.success(request, _("The reply has been approved and sent."))
    return redirect(fb.get_absolute_url())


@login_required
@require_POST
def reply_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The second approver sends the reply back to draft with a reason."""
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.approve_reply")
    reply = selectors.reply_for(user=request.user, form=fb)
    if reply is None:
        raise Http404
    try:
        services.reply_return(reply=reply, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The reply has been returned to its drafter."))
    return redirect(fb.get_absolute_url())


@login_required
def reply_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF letter as it would be sent (document number left open), shown in the browser."""
    fb = selectors.form_get(user=request.user, form_id=pk)
    require_perm(request, "servicedesk.compose_reply")
    reply = selectors.reply_for(user=request.user, form=fb)
    if reply is None or reply.mode != AnswerMode.WRITTEN:
        raise Http404
    response = HttpResponse(
        services.reply_letter_preview(reply=reply, actor=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="preview-{fb.year}-{fb.serial_display}.pdf"'
    return response


@login_required
@require_POST
def reply_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    def call(fb: Any, d: dict[str, Any]) -> None:
        reply = selectors.reply_for(user=request.user, form=fb)
        if reply is None:
            raise Http404
        services.reply_record_minutes(reply=reply, minutes=d["minutes"], actor=request.user)

    return _action(request, pk, "servicedesk.compose_reply", MinutesForm, call, _("The minutes have been saved."))


@login_required
@require_POST
def reply_rate(request: HttpRequest, pk: int) -> HttpResponse:
    fb = selectors.form_get(user=request.user, form_id=pk)
    reply = selectors.reply_for(user=request.user, form=fb)
    if reply is None:
        raise Http404

    def call(fb: Any, d: dict[str, Any]) -> None:
        services.satisfaction_record(reply=reply, rating=d["rating"], comment=d.get("comment", ""), actor=request.user)

    if not request.user.has_perm("servicedesk.rate_reply", reply):
        raise PermissionDenied
    return _action(request, pk, "servicedesk.view_feedback_list", RatingForm, call, _("Thank you for your rating."))


# --- items (staff) ------------------------------------------------------------------------------


def _item_context(request: HttpRequest, item: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    ctx = {
        "item": item,
        "tracked": tracked_for(item, "feedback_item"),
        "similar": selectors.similar_items(item),
        "can_assign": user.has_perm("servicedesk.assign_item", item),
        "can_answer": user.has_perm("servicedesk.answer_item", item) and not item.is_answered,
        "can_topics": user.has_perm("servicedesk.manage_topics"),
    }
    if ctx["can_assign"]:
        ctx["assign_form"] = forms.get("assign_form") or AssignForm(
            initial={"owner": item.owner_id, "departments": [d.pk for d in item.departments.all()]}
        )
    if ctx["can_answer"]:
        ctx["answer_form"] = forms.get("answer_form") or AnswerForm(item=item)
    if ctx["can_topics"]:
        ctx["topics_form"] = forms.get("topics_form") or TopicsForm(
            initial={"topics": [t.pk for t in item.topics.all()]}
        )
    return ctx


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "servicedesk.view_staff_pages")
    item = selectors.item_get_for_staff(user=request.user, item_id=pk)
    return render(request, "servicedesk/item.html", _item_context(request, item))


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_perm(request, "servicedesk.view_staff_pages")
    item = selectors.item_get_for_staff(user=request.user, item_id=pk)
    if action == "assign":
        require_perm(request, "servicedesk.assign_item", item)
        form = AssignForm(request.POST)
        key = "assign_form"
        call = lambda d: services.item_assign(  # noqa: E731
            item=item, owner=d["owner"], departments=d["departments"], actor=request.user
        )
    elif action == "answer":
        require_perm(request, "servicedesk.answer_item", item)
        form = AnswerForm(request.POST, item=item)
        key = "answer_form"
        call = lambda d: services.answer_draft(  # noqa: E731
            item=item, department=d["department"], text=d["text"], actor=request.user
        )
    elif action == "topics":
        require_perm(request, "servicedesk.manage_topics")
        form = TopicsForm(request.POST)
        key = "topics_form"
        call = lambda d: services.item_set_topics(item=item, topics=d["topics"], actor=request.user)  # noqa: E731
    elif action in ("link", "unlink"):
        require_perm(request, "servicedesk.manage_topics")
        other = get_object_or_404(type(item), pk=request.POST.get("other") or 0)
        fn = services.item_link if action == "link" else services.item_unlink
        try:
            fn(item=item, other=other, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(item.get_absolute_url())
    else:
        raise Http404
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item.get_absolute_url())
    item = selectors.item_get_for_staff(user=request.user, item_id=pk)
    return render(request, "servicedesk/item.html", _item_context(request, item, **{key: form}), status=400)


# --- topics and collective answers -----------------------------------------------------------------


@login_required
def topic_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "servicedesk.view_staff_pages")
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "servicedesk.manage_topics")
        if form.is_valid():
            try:
                topic = services.topic_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("servicedesk:topic_detail", pk=topic.pk)
    from django.db.models import Count

    topics = Topic.objects.annotate(n_items=Count("items", distinct=True)).order_by("name")
    return render(
        request,
        "servicedesk/topics.html",
        {
            "topics": _page(request, topics),
            "form": form,
            "can_manage": request.user.has_perm("servicedesk.manage_topics"),
        },
    )


@login_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "servicedesk.view_staff_pages")
    topic = get_object_or_404(Topic, pk=pk)
    form = CollectiveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require_perm(request, "servicedesk.publish_collective")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.collective_publish(
                    topic=topic,
                    mode=d["mode"],
                    title=d["title"],
                    text=d["text"],
                    actor=request.user,
                    audience_kind=d["audience_kind"],
                    organisations=d["organisations"],
                    meeting_at=d["meeting_at"],
                    meeting_link=d["meeting_link"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The collective answer has been published."))
                return redirect("servicedesk:topic_detail", pk=topic.pk)
        status = 400
    items = selectors.staff_items(user=request.user, topic_id=topic.pk)
    return render(
        request,
        "servicedesk/topic.html",
        {
            "topic": topic,
            "items": _page(request, items),
            "form": form,
            "answers": topic.collective_answers.select_related("notice").all(),
            "can_publish": request.user.has_perm("servicedesk.publish_collective"),
        },
        status=status,
    )


# --- reports ----------------------------------------------------------------------------------------


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    require_perm(request, "servicedesk.view_reports")
    form = ReportFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    data = reports.report(f.get("start"), f.get("end"))
    return render(request, "servicedesk/reports.html", {"form": form, "data": data, "querystring": _qs(request)})


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "servicedesk.view_reports")
    form = ReportFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    content = reports.report_workbook(reports.report(f.get("start"), f.get("end")), f.get("start"), f.get("end"))
    return spreadsheets.download(content, "member-voice-report.xlsx")
