"""Load benchmark volumes fast (bulk_create, not per-row services):

    manage.py servicedesk_bench_setup --companies 200 --items 50000

Companies "基准期货N", one member user each (bench-member-N@bench.example), a coordinator
(bench-coordinator@bench.example), forms of 5 items with serials, tracked deadlines (some done,
some overdue). Idempotent: does nothing when the bench forms exist.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from huifu.accounts.models import OrgRole, User, UserKind
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
from huifu.servicedesk.demo import TEXTS
from huifu.servicedesk.models import (
    Channel,
    FeedbackForm,
    FeedbackItem,
    FormStatus,
    ItemKind,
    ItemStatus,
    SerialCounter,
    Topic,
)
from huifu.servicedesk.services.common import FORM_KIND, ITEM_KIND
from huifu.servicedesk.similarity import tokens_for
from huifu.tracking.models import DeadlineRule, TrackedItem, TrackedStatus

PREFIX = "基准期货"
DEPT_STAFF = "bench-dept-staff@bench.example"
BENCH_TOPICS = ["交割库容", "保证金", "手续费", "做市商", "交易系统", "期权合约"]
ITEMS_PER_FORM = 5


class Command(BaseCommand):
    help = "Bulk-load companies and feedback items for bench/servicedesk_bench.py."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--companies", type=int, default=200)
        parser.add_argument("--items", type=int, default=50_000)

    def handle(self, *args: Any, companies: int = 200, items: int = 50_000, **options: Any) -> None:
        if FeedbackForm.objects.filter(organisation__name_zh__startswith=PREFIX).exists():
            self.stdout.write("bench data present")
            self._assignments()
            return
        rng = random.Random(7)
        tokens = [(text, *tokens_for(text)) for text in TEXTS]
        with transaction.atomic():
            coord_dept = Department.objects.filter(
                kind=DepartmentKind.COORDINATOR
            ).first() or Department.objects.create(
                code="member-management", kind=DepartmentKind.COORDINATOR, name_zh="会员管理部"
            )
            business = list(Department.objects.filter(kind=DepartmentKind.BUSINESS)[:5]) or [coord_dept]
            if not User.objects.filter(email="bench-coordinator@bench.example").exists():
                User.objects.create_user(
                    email="bench-coordinator@bench.example",
                    password=None,
                    full_name="基准协调",
                    kind=UserKind.STAFF,
                    department=coord_dept,
                )
            staff = User.objects.get(email="bench-coordinator@bench.example")
            orgs = Organisation.objects.bulk_create(
                [
                    Organisation(
                        kind=OrganisationKind.FUTURES_COMPANY,
                        name_zh=f"{PREFIX}{n:03d}有限公司",
                        short_name=f"{PREFIX}{n:03d}",
                        member_number=f"9{n:03d}",
                    )
                    for n in range(companies)
                ]
            )
            User.objects.bulk_create(
                [
                    User(
                        email=f"bench-member-{n}@bench.example",
                        full_name=f"基准会员{n}",
                        kind=UserKind.MEMBER,
                        organisation=org,
                        org_role=OrgRole.ADMIN,
                        password="!",
                    )
                    for n, org in enumerate(orgs)
                ]
            )
            n_forms = max(items // ITEMS_PER_FORM, 1)
            now = timezone.now()
            forms, serials = [], {}
            for i in range(n_forms):
                org = orgs[i % len(orgs)]
                received = now - datetime.timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1440))
                key = (org.pk, timezone.localtime(received).year)
                serials[key] = serials.get(key, 0) + 1
                done = received < now - datetime.timedelta(days=20) and rng.random() < 0.8
                forms.append(
                    FeedbackForm(
                        organisation=org,
                        year=key[1],
                        serial=serials[key],
                        form_date=timezone.localtime(received).date(),
                        contact_name="联系人",
                        phone="021-00000000",
                        email=f"contact{i % len(orgs)}@bench.example",
                        channel=rng.choice(Channel.values),
                        status=FormStatus.REPLIED if done else FormStatus.IN_PROGRESS,
                        received_at=received,
                    )
                )
            forms = FeedbackForm.objects.bulk_create(forms, batch_size=2000)
            SerialCounter.objects.bulk_create(
                [SerialCounter(organisation_id=o, year=y, last=n) for (o, y), n in serials.items()]
            )
            rows = []
            for form in forms:
                for k in range(ITEMS_PER_FORM):
                    text, toks, kws = tokens[rng.randrange(len(tokens))]
                    rows.append(
                        FeedbackItem(
                            form=form,
                            organisation_id=form.organisation_id,
                            kind=ItemKind.SUGGESTION if k < 3 else ItemKind.HELP_REQUEST,
                            number=k + 1 if k < 3 else k - 2,
                            text=text,
                            tokens=toks,
                            keywords=kws,
                            status=ItemStatus.REPLIED if form.status == FormStatus.REPLIED else ItemStatus.ASSIGNED,
                            owner=staff,
                        )
                    )
            rows = FeedbackItem.objects.bulk_create(rows, batch_size=5000)
            ct_form = ContentType.objects.get_for_model(FeedbackForm)
            ct_item = ContentType.objects.get_for_model(FeedbackItem)
            tracked = []

            def track(obj: Any, ct: Any, kind: str, form: FeedbackForm, title: str, url: str) -> None:
                due = form.received_at + datetime.timedelta(days=14)
                done = form.status == FormStatus.REPLIED
                done_at = form.received_at + datetime.timedelta(days=rng.randint(3, 18)) if done else None
                tracked.append(
                    TrackedItem(
                        kind=kind,
                        title=title[:300],
                        target_type=ct,
                        target_id=str(obj.pk),
                        url=url,
                        organisation_id=form.organisation_id,
                        department=rng.choice(business),
                        owner=staff,
                        status=TrackedStatus.DONE if done else TrackedStatus.OPEN,
                        received_at=form.received_at,
                        deadline_rule=DeadlineRule.CALENDAR_DAYS,
                        deadline_amount=14,
                        due_at=due,
                        done_at=done_at,
                        on_time=(done_at <= due) if done else None,
                    )
                )

            by_pk = {f.pk: f for f in forms}
            for form in forms:
                track(
                    form,
                    ct_form,
                    FORM_KIND,
                    form,
                    f"会员之声反馈 {form.year}-{form.serial:03d}",
                    f"/feedback/{form.pk}/",
                )
            for item in rows:
                form = by_pk[item.form_id]
                track(item, ct_item, ITEM_KIND, form, item.text, f"/feedback/items/{item.pk}/")
            TrackedItem.objects.bulk_create(tracked, batch_size=5000)
        self.stdout.write(
            f"bench: {len(orgs)} companies, {len(forms)} forms, {len(rows)} items, {len(tracked)} tracked"
        )
        self._assignments()

    def _assignments(self) -> None:
        """Departments and topics like real work: four business departments, each item assigned
        to one (a third of them to a second one too, which must see it in its queue as well),
        topics on 60% of the items, and a department staff member (bench-dept-staff@bench.example).
        Idempotent: skipped once that user exists."""
        if User.objects.filter(email=DEPT_STAFF).exists():
            return
        with transaction.atomic():
            business = list(Department.objects.filter(kind=DepartmentKind.BUSINESS).order_by("pk")[:4])
            for n in range(len(business), 4):
                business.append(
                    Department.objects.create(
                        code=f"bench-business-{n}", kind=DepartmentKind.BUSINESS, name_zh=f"基准业务部{n + 1}"
                    )
                )
            User.objects.create_user(
                email=DEPT_STAFF, password=None, full_name="基准业务", kind=UserKind.STAFF, department=business[1]
            )
            topics = [Topic.objects.get_or_create(name=name)[0] for name in BENCH_TOPICS]

            def assigned(pk: int) -> list[Department]:
                lead = business[pk % len(business)]
                return [lead, business[(pk + 1) % len(business)]] if pk % 3 == 0 else [lead]

            bench_items = FeedbackItem.objects.filter(organisation__name_zh__startswith=PREFIX)
            item_ids = list(bench_items.values_list("pk", flat=True))
            item_depts, item_topics = FeedbackItem.departments.through, FeedbackItem.topics.through
            item_depts.objects.bulk_create(
                [item_depts(feedbackitem_id=pk, department=d) for pk in item_ids for d in assigned(pk)],
                batch_size=5000,
            )
            item_topics.objects.bulk_create(
                [item_topics(feedbackitem_id=pk, topic=topics[pk % len(topics)]) for pk in item_ids if pk % 10 < 6],
                batch_size=5000,
            )
            ct_item = ContentType.objects.get_for_model(FeedbackItem)
            tracked = TrackedItem.objects.filter(organisation__name_zh__startswith=PREFIX)
            rows = list(tracked.values_list("pk", "target_type_id", "target_id"))
            by_lead: dict[int, list[int]] = {}
            links = []
            for pk, ct, target_id in rows:
                depts = assigned(int(target_id)) if ct == ct_item.pk else [business[int(target_id) % len(business)]]
                by_lead.setdefault(depts[0].pk, []).append(pk)
                links.extend(TrackedItem.departments.through(trackeditem_id=pk, department=d) for d in depts)
            for lead, pks in by_lead.items():
                for start in range(0, len(pks), 5000):
                    TrackedItem.objects.filter(pk__in=pks[start : start + 5000]).update(department_id=lead)
            TrackedItem.departments.through.objects.filter(trackeditem__in=tracked).delete()
            TrackedItem.departments.through.objects.bulk_create(links, batch_size=5000)
        self.stdout.write(f"bench: departments and topics assigned ({len(item_ids)} items, {len(rows)} tracked)")
