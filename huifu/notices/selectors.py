"""Reading notices, always scoped by the user who asks.

Audience rules (who a published notice is addressed to):

* ``all_members``: users of futures companies and platform traders (``OrganisationKind.member_kinds``);
* ``org_kinds``: users of organisations of one of the listed kinds;
* ``organisations``: users of the named organisations only: company B never sees a notice
  addressed to company A, and gets no e-mail about it;
* ``public``: every logged-in user, public participants included. Anonymous visitors see nothing.

Exchange staff are the issuers, not an audience: they see every notice in every state, are never
e-mailed about publication and leave no read receipts.

Users of a *suspended* organisation keep seeing and receiving the notices addressed to them:
suspension limits what a member may do at the exchange, not what it must be told (rules,
deadlines and the reasons for its own suspension arrive as notices). Deactivated user accounts
(``is_active`` false) see nothing and are not e-mailed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from huifu.accounts.models import User, UserKind
from huifu.accounts.predicates import is_logged_in, is_staff_user
from huifu.directory.models import Organisation, OrganisationKind

from .models import AudienceKind, Notice, NoticeAttachment, NoticeCategory, NoticeRead, NoticeStatus

_AudienceLink = Notice.audience_organisations.through


def org_kind_q(kind: str) -> Q:
    """Notices whose ``audience_org_kinds`` list contains ``kind``.

    JSON ``contains`` is not available on SQLite, so this matches the quoted value in the JSON
    text; works on SQLite and PostgreSQL because no kind's name contains another's in quotes.
    """
    return Q(audience_org_kinds__icontains=f'"{kind}"')


def notices_audience_q(user: Any) -> Q | None:
    """The audience condition for ``user`` as a reader (published state not included).

    None means "nothing": an anonymous or deactivated user.
    """
    if not is_logged_in(user):
        return None
    q = Q(audience_kind=AudienceKind.PUBLIC)
    if user.organisation_id is None:
        return q
    kind = user.organisation.kind
    if kind in OrganisationKind.member_kinds():
        q |= Q(audience_kind=AudienceKind.ALL_MEMBERS)
    q |= Q(audience_kind=AudienceKind.ORG_KINDS) & org_kind_q(kind)
    named = Exists(_AudienceLink.objects.filter(notice_id=OuterRef("pk"), organisation_id=user.organisation_id))
    q |= Q(audience_kind=AudienceKind.ORGANISATIONS) & Q(named)
    return q


def notices_for_reader(user: Any) -> QuerySet[Notice]:
    """Published notices ``user`` may read. Staff read every published notice."""
    qs = Notice.objects.filter(status=NoticeStatus.PUBLISHED)
    if is_staff_user(user):
        return qs
    q = notices_audience_q(user)
    if q is None:
        return qs.none()
    return qs.filter(q)


def user_in_audience(*, user: Any, notice: Notice) -> bool:
    """Whether ``notice`` (in any state) is addressed to ``user`` as a reader. Staff are not an audience."""
    if not is_logged_in(user) or user.kind == UserKind.STAFF:
        return False
    q = notices_audience_q(user)
    return q is not None and Notice.objects.filter(pk=notice.pk).filter(q).exists()


def notice_list_for_reader(
    *, user: Any, unread_only: bool = False, category: str = "", search: str = ""
) -> QuerySet[Notice]:
    """The reader's notice list, newest first, each row annotated with ``is_read``."""
    read = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=getattr(user, "pk", None))
    qs = (
        notices_for_reader(user)
        .select_related("department")
        .annotate(is_read=Exists(read))
        .order_by("-published_at", "-id")
    )
    if unread_only:
        qs = qs.filter(is_read=False)
    if category and category in NoticeCategory.values:
        qs = qs.filter(category=category)
    if search:
        qs = notice_reader_search(qs, search)
    return qs


def notice_reader_search(qs: QuerySet[Notice], text: str) -> QuerySet[Notice]:
    """Notices of ``qs`` whose title, document number or body contain ``text`` (the reader's text filter)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(Q(title__icontains=text) | Q(doc_number__icontains=text) | Q(body__icontains=text))


def notice_unread_count(*, user: Any) -> int:
    if is_staff_user(user):
        return 0
    read = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk)
    return notices_for_reader(user).filter(~Exists(read)).count()


def _with_attachments(qs: QuerySet[Notice]) -> QuerySet[Notice]:
    from django.db.models import Prefetch

    return qs.select_related("department", "created_by").prefetch_related(
        Prefetch("attachments", queryset=NoticeAttachment.objects.select_related("file"))
    )


def notice_get_for_reader(*, user: Any, notice_id: Any) -> Notice:
    """One notice the user may read (staff: any notice, any state); 404 otherwise, alike for
    "missing" and "not addressed to you"."""
    qs = Notice.objects.all() if is_staff_user(user) else notices_for_reader(user)
    read = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=getattr(user, "pk", None))
    notice = _with_attachments(qs.annotate(is_read=Exists(read))).filter(pk=_int_or_none(notice_id)).first()
    if notice is None:
        raise Http404("notice not found")
    return notice


def notice_list_for_staff(*, user: Any, status: str = "", category: str = "", search: str = "") -> QuerySet[Notice]:
    """Every notice in every state, for exchange staff; annotated with ``read_count`` and
    ``attachment_count``. Empty for anyone else."""
    if not is_staff_user(user):
        return Notice.objects.none()
    reads = (
        NoticeRead.objects.filter(notice_id=OuterRef("pk"))
        .order_by()
        .values("notice_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    attachments = (
        NoticeAttachment.objects.filter(notice_id=OuterRef("pk"))
        .order_by()
        .values("notice_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        Notice.objects.select_related("department", "created_by")
        .annotate(
            read_count=Coalesce(Subquery(reads, output_field=IntegerField()), 0),
            attachment_count=Coalesce(Subquery(attachments, output_field=IntegerField()), 0),
        )
        .order_by("-updated_at", "-id")
    )
    if status and status in NoticeStatus.values:
        qs = qs.filter(status=status)
    if category and category in NoticeCategory.values:
        qs = qs.filter(category=category)
    if search:
        qs = notice_staff_search(qs, search)
    return qs


def notice_staff_search(qs: QuerySet[Notice], text: str) -> QuerySet[Notice]:
    """Notices of ``qs`` whose title or document number contain ``text`` (the staff list's text filter)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(Q(title__icontains=text) | Q(doc_number__icontains=text))


def notice_get_for_staff(*, user: Any, notice_id: Any) -> Notice:
    if not is_staff_user(user):
        raise Http404("notice not found")
    notice = _with_attachments(Notice.objects.all()).filter(pk=_int_or_none(notice_id)).first()
    if notice is None:
        raise Http404("notice not found")
    return notice


# --- Audience resolution --------------------------------------------------------------------


def notice_audience_organisations(notice: Notice) -> QuerySet[Organisation]:
    """The organisations a notice is addressed to. For a public notice: every organisation
    (public participants, who have none, are counted separately by the read status)."""
    kind = notice.audience_kind
    if kind == AudienceKind.ALL_MEMBERS:
        return Organisation.objects.filter(kind__in=OrganisationKind.member_kinds())
    if kind == AudienceKind.ORG_KINDS:
        return Organisation.objects.filter(kind__in=list(notice.audience_org_kinds or []))
    if kind == AudienceKind.ORGANISATIONS:
        return Organisation.objects.filter(addressed_notices=notice)
    return Organisation.objects.all()


def notice_audience_users(notice: Notice) -> QuerySet[User]:
    """The active users a notice is addressed to (the e-mail list on publication)."""
    users = User.objects.filter(is_active=True).exclude(kind=UserKind.STAFF)
    if notice.audience_kind == AudienceKind.PUBLIC:
        return users.select_related("organisation")
    return users.filter(organisation__in=notice_audience_organisations(notice)).select_related("organisation")


def notice_audience_is_empty(notice: Notice) -> bool:
    """True when the audience definition names nobody (no kinds, no organisations)."""
    if notice.audience_kind == AudienceKind.ORG_KINDS:
        return not notice.audience_org_kinds
    if notice.audience_kind == AudienceKind.ORGANISATIONS:
        return not notice.audience_organisations.exists()
    return False


# --- Read status --------------------------------------------------------------------------


def notice_read_status(notice: Notice) -> QuerySet[Organisation]:
    """The audience organisations of ``notice``, each annotated with ``reader_count``,
    ``user_count``, ``first_read_at``, ``first_reader_name`` and ``first_reader_email``.
    Unread organisations first, then by name. A fixed number of queries for any page size."""
    reads = NoticeRead.objects.filter(notice_id=notice.pk, organisation_id=OuterRef("pk"))
    reader_count = reads.order_by().values("organisation_id").annotate(n=Count("id")).values("n")
    first_read_at = reads.order_by().values("organisation_id").annotate(t=Min("read_at")).values("t")
    first = reads.order_by("read_at", "id")
    users = (
        User.objects.filter(organisation_id=OuterRef("pk"), is_active=True)
        .exclude(kind=UserKind.STAFF)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        notice_audience_organisations(notice)
        .annotate(
            reader_count=Coalesce(Subquery(reader_count, output_field=IntegerField()), 0),
            user_count=Coalesce(Subquery(users, output_field=IntegerField()), 0),
            first_read_at=Subquery(first_read_at, output_field=DateTimeField()),
            first_reader_name=Coalesce(
                Subquery(first.values("user__full_name")[:1], output_field=CharField()), Value("")
            ),
            first_reader_email=Coalesce(Subquery(first.values("user__email")[:1], output_field=CharField()), Value("")),
        )
        .order_by(F("first_read_at").asc(nulls_first=True), "name_zh", "pk")
    )


def notice_read_totals(notice: Notice) -> dict[str, int]:
    """Headline numbers for the read-status page: organisations addressed, organisations with
    at least one reader, readers in total, readers without an organisation (public participants)."""
    orgs = notice_audience_organisations(notice)
    read_org_ids = NoticeRead.objects.filter(notice=notice, organisation__isnull=False).values("organisation_id")
    reads = NoticeRead.objects.filter(notice=notice).aggregate(
        readers=Count("id"), without_org=Count("id", filter=Q(organisation__isnull=True))
    )
    return {
        "organisations": orgs.count(),
        "organisations_read": orgs.filter(pk__in=read_org_ids).count(),
        "readers": reads["readers"],
        "readers_without_organisation": reads["without_org"],
    }


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def notice_file_readable(user: Any, stored_file: Any) -> bool:
    """Files access checker for ``notice_attachment`` files: readable by users who may read a
    published notice the file is attached to (staff are let through by the files app itself)."""
    return NoticeAttachment.objects.filter(file_id=stored_file.pk, notice__in=notices_for_reader(user)).exists()


def public_notice_list() -> QuerySet[Notice]:
    """Published notices addressed to the public: readable by anyone, also without an account
    (the public site, ``huifu.publicsite``). Drafts, withdrawn and member-only notices never."""
    return Notice.objects.filter(status=NoticeStatus.PUBLISHED, audience_kind=AudienceKind.PUBLIC).order_by(
        "-published_at", "-id"
    )


def public_notice_get(*, notice_id: Any) -> Notice:
    """One public published notice; 404 alike for missing, draft, withdrawn and member-only."""
    notice = public_notice_list().select_related("department").filter(pk=_int_or_none(notice_id)).first()
    if notice is None:
        raise Http404("notice not found")
    return notice
