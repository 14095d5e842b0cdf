"""The flows (操作流程) the yearly arrangements document describes, bound to the state machines
Huifu runs.

A :class:`Flow` is a sentence of steps ("会员单位发起申请——交易所审批活动——…"). Each step names
the states of a machine it takes a record through (``reaches``, as ``"machine.state"``); the
states of all steps, in order, must be the start of each machine's main path
(``core.progress.machine_path``, the same path the steppers draw). A step with no states is a
*side step* (the CSRC bureau's supervision) and must name the service that performs it and the
state it happens in. Optional steps come last and are printed as "（部分项目还包括…）".

:func:`check_flow` runs at import for every registered flow and in the tests: a state added to
a machine, a renamed state or a removed service breaks the import, so the document can never
describe a flow the system does not follow. Phrases may use the document's placeholders
(``{visit_arrange_days}``), which resolve from the records (``facts.py``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from huifu.core.progress import machine_path

STEP_JOIN = "——"
OPTIONAL_JOIN = "—"


@dataclass(frozen=True)
class Machine:
    key: str
    label: Any
    table: Callable[[], Mapping[str, Any]]  # imported lazily: the apps' models load first
    start: str
    off_path: Mapping[str, str] = field(default_factory=dict)
    omit: tuple[str, ...] = ()

    def path(self) -> list[str]:
        return [str(s) for s in machine_path(self.table(), start=self.start, off_path=self.off_path, omit=self.omit)]


@dataclass(frozen=True)
class Step:
    phrase: str
    reaches: tuple[str, ...] = ()  # "machine.state", in path order
    service: str = ""  # side steps: dotted path of the service that performs it
    during: str = ""  # side steps: "machine.state" the record is in meanwhile
    optional: bool = False


@dataclass(frozen=True)
class Flow:
    key: str
    label: Any
    machines: tuple[str, ...]
    steps: tuple[Step, ...]
    notes: str = ""


def _visits() -> Mapping[str, Any]:
    from huifu.visits.models import VISIT_TRANSITIONS

    return VISIT_TRANSITIONS


def _activities() -> Mapping[str, Any]:
    from huifu.activities.models import TRANSITIONS

    return TRANSITIONS


def _cases() -> Mapping[str, Any]:
    from huifu.cases.models import CASE_TRANSITIONS

    return CASE_TRANSITIONS


def _participations() -> Mapping[str, Any]:
    from huifu.incentives.models import PARTICIPATION_TRANSITIONS

    return PARTICIPATION_TRANSITIONS


def _plans() -> Mapping[str, Any]:
    from huifu.deepening.models import PLAN_TRANSITIONS

    return PLAN_TRANSITIONS


def _evaluations() -> Mapping[str, Any]:
    from huifu.awards.models import EVALUATION_TRANSITIONS

    return EVALUATION_TRANSITIONS


def _selection_phases() -> Mapping[str, Any]:
    """The analyst selection moves through its phases in the order its services enforce
    (``PhaseKind.ordered()``: each action is refused outside its phase's window), after the plan
    is set up and published."""
    from huifu.selections.models import PhaseKind

    states = ["plan", *PhaseKind.ordered()]
    return {s: frozenset(states[i + 1 : i + 2]) for i, s in enumerate(states)}


MACHINES: dict[str, Machine] = {
    m.key: m
    for m in (
        # The off-path maps are those of the apps' steppers (visits/progress.py, incentives/progress.py).
        Machine(
            "visit",
            _("Visit request"),
            _visits,
            "requested",
            {"change_requested": "arranged", "cancelled": "requested"},
        ),
        Machine(
            "activity",
            _("Co-hosted activity"),
            _activities,
            "draft",
            {"returned": "submitted", "rejected": "submitted", "summary_returned": "summary_submitted"},
        ),
        Machine("case", _("Industry service case"), _cases, "draft", {"withdrawn": "published"}),
        Machine(
            "participation",
            _("Incentive participation"),
            _participations,
            "submitted",
            {"rejected": "submitted", "withdrawn": "submitted", "failed": "acceptance_review"},
        ),
        Machine(
            "plan", _("Deep-cultivation plan"), _plans, "draft", {"returned": "submitted", "rejected": "submitted"}
        ),
        Machine("evaluation", _("Award evaluation"), _evaluations, "draft"),
        Machine("selection", _("Analyst selection phases"), _selection_phases, "plan"),
    )
}

FLOWS: dict[str, Flow] = {
    f.key: f
    for f in (
        Flow(
            "visit_reception",
            _("Visit reception (visits)"),
            ("visit",),
            (
                Step("会员或市场机构发送拜访函至MSC邮箱或办公室", ("visit.requested",)),
                Step("交易所收文并于{visit_arrange_days}内反馈接待安排", ("visit.arranged",)),
            ),
        ),
        Flow(
            "cohosted_activity",
            _("Co-hosted activity, then a case (activities, cases)"),
            ("activity", "case"),
            (
                Step("会员单位/行业协会发起申请", ("activity.draft", "activity.submitted")),
                Step("交易所审批活动", ("activity.approved",)),
                Step("合作对象举办活动并提交总结材料", ("activity.held", "activity.summary_submitted")),
                Step(
                    "交易所审核并进行费用报销",
                    ("activity.summary_accepted", "activity.invoiced", "activity.paid", "activity.closed"),
                ),
                Step("甄选产业服务案例并宣传", ("case.draft", "case.published")),
            ),
        ),
        Flow(
            "incentive_participation",
            _("Incentive participation (incentives)"),
            ("participation",),
            (
                Step("会员单位/综合业务平台交易商等发起申请/备案", ("participation.submitted",)),
                Step("交易所评审", ("participation.tracking",)),
                Step(
                    "交易所项目跟踪",
                    service="huifu.incentives.services.participations.participation_report",
                    during="participation.tracking",
                ),
                Step("成果验收", ("participation.acceptance_review", "participation.accepted")),
                Step("会员单位结项申请", ("participation.closing_review",), optional=True),
                Step("交易所结项评审", ("participation.closed",), optional=True),
            ),
        ),
        Flow(
            "deepening_plan",
            _("Deep-cultivation plan, then a case (deepening, cases)"),
            ("plan", "case"),
            (
                Step("会员单位发起申请", ("plan.draft", "plan.submitted")),
                Step("交易所甄选期货公司及企业、评审方案", ("plan.approved",)),
                Step("期货公司按计划推进", ("plan.in_progress", "plan.completed")),
                Step(
                    "证监局跟进、监督",
                    service="huifu.deepening.services.plans.supervision_note_add",
                    during="plan.in_progress",
                ),
                Step("交易所甄选产业服务案例并宣传", ("case.draft", "case.published")),
            ),
        ),
        Flow(
            "campus_activity",
            _("Campus activity, then a case (activities of kind campus, cases)"),
            ("activity", "case"),
            (
                Step("会员单位发起申请", ("activity.draft", "activity.submitted")),
                Step("交易所甄选方案", ("activity.approved",)),
                Step(
                    "统筹支持、甄选成果进行宣传",
                    (
                        "activity.held",
                        "activity.summary_submitted",
                        "activity.summary_accepted",
                        "activity.invoiced",
                        "activity.paid",
                        "activity.closed",
                        "case.draft",
                        "case.published",
                    ),
                ),
            ),
        ),
        Flow(
            "award_evaluation",
            _("Member rating and overseas broker award (awards)"),
            ("evaluation",),
            (
                Step("交易所发起评优活动", ("evaluation.draft", "evaluation.open")),
                Step("交易所依据方案进行评选", ("evaluation.objection",)),
                Step("公布获奖名单并表彰", ("evaluation.final",)),
            ),
        ),
        Flow(
            "analyst_selection",
            _("Excellent analyst (team) selection (selections)"),
            ("selection",),
            (
                Step("交易所公布评选方案", ("selection.plan",)),
                Step("会员申请", ("selection.application", "selection.upload")),
                Step("交易所依据方案进行评选", ("selection.scoring", "selection.review")),
                Step("公布获奖名单并表彰", ("selection.publication",)),
            ),
        ),
    )
}


def check_flow(flow: Flow) -> None:
    """Raise ``ImproperlyConfigured`` unless every step of ``flow`` follows the machines' paths."""
    reached: dict[str, list[str]] = {m: [] for m in flow.machines}
    order: list[str] = []
    seen_optional = False
    for step in flow.steps:
        if seen_optional and not step.optional:
            raise ImproperlyConfigured(f"Flow {flow.key}: a required step {step.phrase!r} follows an optional one.")
        seen_optional = seen_optional or step.optional
        if not step.reaches:
            if not step.service or not step.during:
                raise ImproperlyConfigured(f"Flow {flow.key}: side step {step.phrase!r} needs a service and a state.")
            module, _dot, name = step.service.rpartition(".")
            if not callable(getattr(importlib.import_module(module), name, None)):
                raise ImproperlyConfigured(f"Flow {flow.key}: {step.service} is not a service.")
            machine, _dot, state = step.during.partition(".")
            if state not in reached.get(machine, []):
                raise ImproperlyConfigured(
                    f"Flow {flow.key}: {step.phrase!r} happens in {step.during}, not reached yet."
                )
            continue
        for qualified in step.reaches:
            machine, _dot, state = qualified.partition(".")
            if machine not in reached:
                raise ImproperlyConfigured(f"Flow {flow.key}: {qualified} is not one of its machines {flow.machines}.")
            if order and order[-1] != machine and machine in order:
                raise ImproperlyConfigured(f"Flow {flow.key}: {qualified} goes back to a machine already left.")
            if machine not in order:
                order.append(machine)
            reached[machine].append(state)
    for key in flow.machines:
        path = MACHINES[key].path()
        states = reached[key]
        if not states or states != path[: len(states)]:
            raise ImproperlyConfigured(
                f"Flow {flow.key}: the states {states} of {key} are not the start of its main path {path}."
            )


@cache
def checked_flows() -> dict[str, Flow]:
    for flow in FLOWS.values():
        check_flow(flow)
    return FLOWS


def flow_choices() -> list[tuple[str, Any]]:
    return [(key, flow.label) for key, flow in FLOWS.items()]


def flow_parts(key: str) -> tuple[list[str], list[str]]:
    """(main steps, optional steps) phrases of a registered flow, unresolved placeholders kept."""
    flow = checked_flows()[key]
    return [s.phrase for s in flow.steps if not s.optional], [s.phrase for s in flow.steps if s.optional]
