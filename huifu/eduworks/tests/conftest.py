"""Educational-work fixtures: works built through the real services, in any state."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huifu.eduworks import services
from huifu.eduworks.models import AuthorKind, Channel, WorkKind
from huifu.products.models import Product

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png_upload(name: str = "封面.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def cu(db):
    return Product.objects.get(code="cu")


@pytest.fixture
def rb(db):
    return Product.objects.get(code="rb")


@pytest.fixture
def make_work(dept_staff, coordinator, cu):
    """make(state=..., author=<user>, reviewer=<user>, **fields): a work taken through the services
    up to ``state`` (draft, submitted, in_review, returned, approved, published, withdrawn)."""

    def make(*, state="draft", author=None, reviewer=None, published_on=None, channel=Channel.WECHAT, **fields):
        author = author or dept_staff
        reviewer = reviewer or coordinator
        fields.setdefault("kind", WorkKind.COMIC)
        fields.setdefault("title", "期货知识漫画：套保是什么")
        fields.setdefault("summary", "十二格漫画讲清楚套期保值。")
        fields.setdefault("rights_owner", "上海期货交易所")
        fields.setdefault("products", [cu])
        fields.setdefault("third_party_cleared", True)
        work = services.work_create(actor=author, **fields)
        services.work_author_add(actor=author, work=work, kind=AuthorKind.STAFF, name="王投教", affiliation="投教中心")
        if state == "draft":
            return work
        work = services.work_submit(actor=author, work=work)
        if state == "submitted":
            return work
        work = services.work_review_start(actor=reviewer, work=work)
        if state == "in_review":
            return work
        ticked = [i.code for i in services.checklist_items()]
        if state == "returned":
            services.work_review_decide(actor=reviewer, work=work, approve=False, ticked=[], note="补充风险提示")
            work.refresh_from_db()
            return work
        services.work_review_decide(actor=reviewer, work=work, approve=True, ticked=ticked)
        work.refresh_from_db()
        if state == "approved":
            return work
        work = services.work_publish(
            actor=reviewer, work=work, channel=channel, published_on=published_on or timezone.localdate()
        )
        if state == "published":
            return work
        return services.work_withdraw(actor=reviewer, work=work, reason="内容过时")

    return make


def month(year: int, m: int) -> datetime.date:
    return datetime.date(year, m, 1)
