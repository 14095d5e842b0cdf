"""Demo settlements: a 2023 Q2 run for each demo project with earning participations; the
first one is run, reviewed and approved by three different demo staff, so the member demo
users see a statement. Idempotent (an existing run for the period is left alone)."""

from __future__ import annotations

import datetime
from typing import IO

from huifu.accounts.models import User
from huifu.incentives.selectors import participations_for_settlement

from . import services
from .models import SettlementRun

START = datetime.date(2023, 4, 1)
END = datetime.date(2023, 6, 30)


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.huifu.example")}
    runner, reviewer, approver = users.get("coordinator"), users.get("finance"), users.get("dept-head")
    if not (runner and reviewer and approver):
        return
    projects = []
    for participation in participations_for_settlement(year=2023):
        if participation.project not in projects:
            projects.append(participation.project)
    for index, project in enumerate(projects):
        if SettlementRun.objects.filter(project=project, period_start=START, period_end=END).exists():
            continue
        if project.period_end < START or project.period_start > END:
            continue
        run = services.settlement_create(project=project, period_start=START, period_end=END, actor=runner)
        run = services.settlement_compute(run=run, actor=runner)
        if index < 2:
            run = services.settlement_review(run=run, actor=reviewer)
            run = services.settlement_approve(run=run, actor=approver)
        if stdout:
            stdout.write(f"settlements: {run} {run.status}, {run.statement_count} members, {run.total_amount} CNY\n")
