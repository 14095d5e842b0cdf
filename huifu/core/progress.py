"""Progress on a record (issue #10, point 6): the stages of its workflow, where it is, who acts
next and by when, and the viewing user's next action. Each app describes its workflow once (a
``progress(record, user, …)`` function next to its state machine) and returns a ``Stepper``;
``core/_stepper.html`` draws it the same way on every detail page.

The stages are the workflow's main path (docs/workflows.md). States off that path (returned,
waiting for the member, rejected) are shown at the stage where the record waits, with a badge, so
a stepper never grows a branch the reader must decode."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

DONE, CURRENT, TODO = "done", "current", "todo"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # DONE, CURRENT or TODO


@dataclass(frozen=True)
class NextAction:
    """The viewing user's next action: a link (to a page or to a form further down, ``#anchor``)
    or, with ``post=True``, a button that posts to ``url`` (no input needed)."""

    label: str
    url: str
    post: bool = False
    testid: str = "next-action"


@dataclass
class Stepper:
    steps: list[Step]
    status_label: str
    next_actor: str = ""  # who acts next, in words ("Member Services", "your company")
    due_at: datetime.datetime | None = None
    paused: bool = False
    note: str = ""  # off-path state (returned, waiting, rejected) in words
    tone: str = ""  # "", "warn" or "bad": the note's badge
    action: NextAction | None = None
    finished: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def current(self) -> Step | None:
        return next((s for s in self.steps if s.state == CURRENT), None)

    @property
    def overdue(self) -> bool:
        return bool(self.due_at and not self.paused and not self.finished and self.due_at < timezone.now())


def build_stepper(
    *,
    path: Sequence[tuple[str, Any]],
    status: str,
    status_label: Any,
    at_stage: Mapping[str, str] | None = None,
    notes: Mapping[str, tuple[Any, str]] | None = None,
    next_actor: Any = "",
    due_at: datetime.datetime | None = None,
    paused: bool = False,
    action: NextAction | None = None,
) -> Stepper:
    """``path``: the main path as (state, label). ``at_stage``: an off-path state → the path state
    where the record waits (``{"returned": "draft"}``). ``notes``: state → (words, tone) shown
    next to the stage. The last state of the path, once reached, marks every stage done."""
    keys = [k for k, _ in path]
    where = (at_stage or {}).get(status, status)
    index = keys.index(where) if where in keys else 0
    # Only the last state itself finishes the path: an off-path state shown at the last stage
    # (a confirmed registration that was cancelled) is not "done".
    finished = status == keys[-1]
    steps = []
    for i, (key, label) in enumerate(path):
        if i < index or finished:
            state = DONE
        elif i == index:
            state = CURRENT
        else:
            state = TODO
        steps.append(Step(key=key, label=str(label), state=state))
    note, tone = (notes or {}).get(status, ("", ""))
    return Stepper(
        steps=steps,
        status_label=str(status_label),
        next_actor=str(next_actor) if next_actor else "",
        due_at=due_at if not finished else None,
        paused=paused,
        note=str(note),
        tone=tone,
        action=action,
        finished=finished,
    )


def tracked_due(tracked: Any) -> tuple[datetime.datetime | None, bool]:
    """(due date, paused) of an open tracked item, or (None, False)."""
    if tracked is None or getattr(tracked, "done_at", None):
        return None, False
    if getattr(tracked, "status", "") in ("done", "cancelled"):
        return None, False
    return tracked.due_at, getattr(tracked, "status", "") == "paused"


def machine_path(
    transitions: Mapping[str, Any],
    *,
    start: str,
    off_path: Mapping[str, str],
    omit: Sequence[str] = (),
) -> list[str]:
    """The main path of a state machine, derived from its transition table so that the stepper
    cannot drift from the workflow: the longest chain of transitions from ``start`` through the
    states that are not ``off_path`` (ties: the first in the table's order).

    ``off_path`` maps every state that is not a stage (returned, rejected, cancelled …) to the
    stage where the record is shown while in it. ``omit`` drops stages this record skips (a
    project without a closing stage); the chain that remains must still be transitions.
    Raises ``ImproperlyConfigured`` when a state of the machine is neither on the path nor
    mapped off it, or when an off-path state points at no stage: a new state added to the
    machine without a place on the stepper fails at import and in the tests."""
    states = list(transitions)
    on = [s for s in states if s not in off_path]
    best: list[str] = []

    def walk(chain: list[str]) -> None:
        nonlocal best
        if len(chain) > len(best):
            best = list(chain)
        for nxt in sorted(transitions[chain[-1]], key=states.index):
            if nxt in on and nxt not in chain:
                walk([*chain, nxt])

    walk([start])
    missing = [s for s in on if s not in best]
    if missing:
        raise ImproperlyConfigured(f"States {missing} are neither on the main path {best} nor mapped off it.")
    bad = {s: t for s, t in off_path.items() if t not in best}
    if bad:
        raise ImproperlyConfigured(f"Off-path states {bad} point at no stage of {best}.")
    path = [s for s in best if s not in omit]
    for here, nxt in zip(path, path[1:], strict=False):
        if nxt not in transitions[here]:
            raise ImproperlyConfigured(f"{here} → {nxt} is not a transition of the machine.")
    return path


def stage_of(status: str, *, path: Sequence[str], off_path: Mapping[str, str]) -> str:
    """The stage a record in ``status`` is shown at (a test checks every state has one)."""
    where = off_path.get(status, status)
    if where not in path:
        raise ImproperlyConfigured(f"State {status!r} has no stage on {list(path)}.")
    return where
