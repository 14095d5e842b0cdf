"""From the text lines of a participant export to seconds present per registration.

Pure functions over plain data (no database writes), used by the preview and, identically, by the
confirmation (``services.attendance``), so what staff confirm is what was shown:

1. **Columns** (``resolve_columns``): the header line and which column holds each field, from the
   platform's remembered mapping or the documented default layout; a missing required column is
   named, never guessed.
2. **Rows** (``analyse``): each line's values are read per field; a time that cannot be read, a
   leave time before the join time, a time outside the session's day, an unknown person or an
   ambiguous match is a problem of that line and field. Lines with a problem count for nobody.
3. **People**: a line is matched by e-mail, by full phone number, or by name together with a
   masked phone (``138****1234``); two identifiers pointing at different registrations is an
   ambiguity, never a choice. A name alone identifies nobody.
4. **Seconds**: the join/leave intervals of one registration are merged (overlaps and repeated
   rows are not double-counted); ``seconds_in_schedule`` counts only the scheduled time of the
   session, and the attendance rule is applied to it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import SHANGHAI, RegistrationState

FIELDS = ("name", "phone", "email", "join", "leave")
FIELD_LABELS = {
    "name": pgettext_lazy("attendance column", "Name"),
    "phone": pgettext_lazy("attendance column", "Mobile phone"),
    "email": pgettext_lazy("attendance column", "E-mail"),
    "join": pgettext_lazy("attendance column", "Join time"),
    "leave": pgettext_lazy("attendance column", "Leave time"),
}
REQUIRED_FIELDS = ("join", "leave")
HEADER_LINES = 20  # the header is looked for in the first lines (腾讯会议 puts the meeting's title above it)
IDENTIFYING_FIELDS = ("phone", "email")

# The documented default layout (docs/workflows.md): the first header is the one written in the
# template; the others are the same column as other platforms name it.
DEFAULT_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名称", "用户名称", "参会人", "参会者", "name", "participant"),
    "phone": ("手机号", "手机", "手机号码", "电话", "联系电话", "phone", "mobile"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail"),
    "join": ("入会时间", "加入时间", "进入时间", "入会", "join time", "join_time", "joined"),
    "leave": ("退会时间", "离会时间", "离开时间", "退出时间", "退会", "leave time", "leave_time", "left"),
}


class TimeFormat:
    DATETIME = "datetime"
    US = "us"
    TIME = "time"

    CHOICES = (
        (DATETIME, gettext_lazy("Date and time: 2026-12-03 14:05:09 or 2026/12/03 14:05")),
        (US, gettext_lazy("US date and time: 12/03/2026 02:05:09 PM")),
        (TIME, gettext_lazy("Time only: 14:05:09 (the session's date)")),
    )
    VALUES = frozenset(value for value, _label in CHOICES)


_DATETIME_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_US_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def normalise_header(text: str) -> str:
    """Lower case, no spaces, no bracketed remark: ``入会时间（北京时间）`` → ``入会时间``."""
    text = re.sub(r"[（(][^）)]*[）)]", "", text or "")
    return "".join(text.split()).lower()


def normalise_phone(raw: str) -> str:
    """Digits, ``*`` kept for masked numbers; a +86/0086 country prefix dropped."""
    value = re.sub(r"[^\d*]", "", raw or "")
    for prefix in ("0086", "86"):
        if value.startswith(prefix) and len(value) - len(prefix) == 11:
            return value[len(prefix) :]
    return value


def normalise_name(raw: str) -> str:
    return "".join((raw or "").split()).lower()


def parse_time(raw: str, time_format: str, day: datetime.date) -> tuple[datetime.datetime | None, str]:
    """An aware datetime (Asia/Shanghai unless the text carries an offset), or (None, why)."""
    text = " ".join((raw or "").split())
    if not text:
        return None, _("empty")
    try:
        if time_format == TimeFormat.TIME:
            m = _TIME_RE.match(text)
            if not m:
                return None, _("“%(value)s” is not a time written HH:MM:SS.") % {"value": text[:40]}
            h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
            return datetime.datetime.combine(day, datetime.time(h, mi, s), tzinfo=SHANGHAI), ""
        if time_format == TimeFormat.US:
            m = _US_RE.match(text)
            if not m:
                return None, _("“%(value)s” is not a time written MM/DD/YYYY hh:mm:ss AM.") % {"value": text[:40]}
            h = int(m[4])
            if m[7]:
                if not 1 <= h <= 12:
                    raise ValueError
                h = h % 12 + (12 if m[7].lower() == "pm" else 0)
            value = datetime.datetime(int(m[3]), int(m[1]), int(m[2]), h, int(m[5]), int(m[6] or 0), tzinfo=SHANGHAI)
            return value, ""
        m = _DATETIME_RE.match(text)
        if not m:
            return None, _("“%(value)s” is not a time written YYYY-MM-DD HH:MM:SS.") % {"value": text[:40]}
        tz: datetime.tzinfo = SHANGHAI
        if m[7]:
            if m[7] == "Z":
                tz = datetime.UTC
            else:
                sign = 1 if m[7][0] == "+" else -1
                digits = m[7][1:].replace(":", "")
                tz = datetime.timezone(sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        value = datetime.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=tz)
        return value.astimezone(SHANGHAI), ""
    except ValueError:
        return None, _("“%(value)s” is not a real date and time.") % {"value": text[:40]}


# --- columns -------------------------------------------------------------------------------------


@dataclass
class Columns:
    """Where the header is and which column index holds each field; ``problems`` name what is missing."""

    header_index: int | None = None  # index into the file's lines
    header: list[str] = field(default_factory=list)
    indexes: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # field -> header text as in the file
    time_format: str = TimeFormat.DATETIME
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.header_index is not None and not self.problems

    def as_mapping(self) -> dict[str, Any]:
        return {"columns": dict(self.names), "time_format": self.time_format, "header_index": self.header_index}


def _find_header(lines: Sequence[Sequence[str]], wanted: Iterable[str]) -> int | None:
    """The first of the first lines holding at least two of the ``wanted`` (normalised) headers."""
    wanted_set = {normalise_header(w) for w in wanted}
    for index, line in enumerate(lines[:HEADER_LINES]):
        if len({normalise_header(c) for c in line} & wanted_set) >= 2:
            return index
    return None


def resolve_columns(lines: Sequence[Sequence[str]], mapping: dict[str, Any] | None) -> Columns:
    """Find the header and the column of each field: by ``mapping`` (``{"columns": {field: header},
    "time_format": …}``, a platform's remembered or chosen mapping) or by the default layout."""
    columns = Columns()
    mapped = dict((mapping or {}).get("columns") or {})
    time_format = (mapping or {}).get("time_format") or TimeFormat.DATETIME
    columns.time_format = time_format if time_format in TimeFormat.VALUES else TimeFormat.DATETIME
    aliases = {f: ((mapped[f],) if mapped.get(f) else ()) if mapped else DEFAULT_HEADERS[f] for f in FIELDS}
    chosen = (mapping or {}).get("header_index")
    if isinstance(chosen, int) and 0 <= chosen < min(len(lines), HEADER_LINES):
        header_index: int | None = chosen
    else:
        header_index = _find_header(lines, [a for names in aliases.values() for a in names])
    if header_index is None:
        if mapped:
            header_index = _find_header(lines, [a for names in DEFAULT_HEADERS.values() for a in names])
        if header_index is None:
            header_index = 0 if lines else None
    if header_index is None:
        columns.problems.append(_("The file has no header line."))
        return columns
    columns.header_index = header_index
    columns.header = list(lines[header_index])
    positions: dict[str, list[int]] = {}
    for index, text in enumerate(columns.header):
        if text:
            positions.setdefault(normalise_header(text), []).append(index)
    for name in FIELDS:
        found = [i for alias in aliases[name] for i in positions.get(normalise_header(alias), [])]
        found = sorted(set(found))
        if len(found) > 1:
            columns.problems.append(
                _("Column “%(field)s”: the header line has it %(count)s times (%(headers)s); choose one.")
                % {
                    "field": FIELD_LABELS[name],
                    "count": len(found),
                    "headers": "、".join(columns.header[i] for i in found),
                }
            )
        elif found:
            columns.indexes[name] = found[0]
            columns.names[name] = columns.header[found[0]]
    for name in REQUIRED_FIELDS:
        if name not in columns.indexes:
            columns.problems.append(_("Column “%(field)s” is missing.") % {"field": FIELD_LABELS[name]})
    if not any(name in columns.indexes for name in IDENTIFYING_FIELDS):
        columns.problems.append(
            _("Neither a “%(phone)s” nor an “%(email)s” column was found: people cannot be identified by name alone.")
            % {"phone": FIELD_LABELS["phone"], "email": FIELD_LABELS["email"]}
        )
    return columns


# --- rows and people -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """What matching knows of one registration: its person's identifiers and state."""

    registration_id: int
    name: str
    email: str
    phone: str
    state: str
    state_label: str


@dataclass
class Line:
    number: int
    values: dict[str, str]
    registration_id: int | None = None
    joined: datetime.datetime | None = None
    left: datetime.datetime | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)


@dataclass
class Outcome:
    registration_id: int
    seconds_present: int
    seconds_in_schedule: int
    attended: bool
    intervals: list[tuple[str, str]]
    lines: list[int]

    @property
    def minutes_present(self) -> int:
        return self.seconds_present // 60

    @property
    def minutes_in_schedule(self) -> int:
        return self.seconds_in_schedule // 60


@dataclass
class Analysis:
    columns: Columns
    lines: list[Line]
    outcomes: dict[int, Outcome]  # confirmed registrations, present in the file or not
    matched_lines: int
    problem_lines: int

    @property
    def problem_count(self) -> int:
        return sum(len(line.problems) for line in self.lines)

    def fingerprint(self) -> str:
        """Changes when anything the confirmation would store or skip changes."""
        data = {
            "columns": self.columns.as_mapping(),
            "lines": [[ln.number, ln.registration_id, ln.problems] for ln in self.lines],
            "outcomes": [
                [o.registration_id, o.seconds_present, o.seconds_in_schedule, o.attended]
                for o in sorted(self.outcomes.values(), key=lambda o: o.registration_id)
            ],
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _masked_match(pattern: str, phone: str) -> bool:
    return len(pattern) == len(phone) and all(p == "*" or p == d for p, d in zip(pattern, phone, strict=True))


def _best(people: Iterable[Person]) -> list[Person]:
    """One registration per person: the confirmed one if any (a person may have cancelled before)."""
    by_key: dict[str, Person] = {}
    for person in people:
        key = person.email or f"#{person.registration_id}"
        kept = by_key.get(key)
        if kept is None or (person.state == RegistrationState.CONFIRMED and kept.state != RegistrationState.CONFIRMED):
            by_key[key] = person
    return list(by_key.values())


def _match(
    values: dict[str, str],
    people: Sequence[Person],
    by_email: dict[str, list[Person]],
    by_phone: dict[str, list[Person]],
) -> tuple[Person | None, tuple[str, str] | None]:
    email = (values.get("email") or "").strip().lower()
    phone = normalise_phone(values.get("phone", ""))
    name = normalise_name(values.get("name", ""))
    found: list[tuple[str, list[Person]]] = []
    if email:
        found.append(("email", _best(by_email.get(email, []))))
    if phone and "*" not in phone:
        found.append(("phone", _best(by_phone.get(phone, []))))
    elif phone:
        if not name:
            return None, ("name", _("A masked phone number identifies a person only together with the name."))
        found.append(
            (
                "phone",
                _best(
                    p for p in people if p.phone and normalise_name(p.name) == name and _masked_match(phone, p.phone)
                ),
            )
        )
    if not found:
        if name:
            return None, ("name", _("A name alone identifies nobody: this line has no phone or e-mail."))
        return None, ("name", _("The line has no name, phone or e-mail."))
    hits = [(f, group) for f, group in found if group]
    if not hits:
        shown = ", ".join(v for v in (values.get("email", ""), values.get("phone", "")) if v)
        return None, (found[0][0], _("No registration of this session has %(value)s.") % {"value": shown})
    by_id = {p.registration_id: p for _f, group in hits for p in group}
    common = set.intersection(*({p.registration_id for p in group} for _f, group in hits))
    if len(common) == 1:
        return by_id[common.pop()], None
    if not common:
        return None, (
            hits[0][0],
            _("Ambiguous: the e-mail matches %(a)s, the phone matches %(b)s.")
            % {"a": _who(hits[0][1]), "b": _who(hits[1][1])},
        )
    return None, (
        hits[0][0],
        _("Ambiguous: %(count)s registrations match (%(names)s).")
        % {"count": len(common), "names": _who(by_id[i] for i in sorted(common))},
    )


def _who(people: Iterable[Person]) -> str:
    return "、".join(p.name or p.email for p in people)


def merge_intervals(
    intervals: Iterable[tuple[datetime.datetime, datetime.datetime]],
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The union of closed intervals, sorted; touching or overlapping ones become one."""
    merged: list[list[datetime.datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _clip_seconds(
    intervals: Iterable[tuple[datetime.datetime, datetime.datetime]], start: datetime.datetime, end: datetime.datetime
) -> int:
    return int(sum(max(0.0, (min(b, end) - max(a, start)).total_seconds()) for a, b in intervals))


def attended(seconds_in_schedule: int, scheduled_seconds: int, min_percent: int) -> bool:
    """The attendance rule: present for at least ``min_percent`` % of the scheduled length."""
    return scheduled_seconds > 0 and seconds_in_schedule * 100 >= min_percent * scheduled_seconds


def analyse(
    *,
    lines: Sequence[Sequence[str]],
    line_numbers: Sequence[int],
    columns: Columns,
    people: Sequence[Person],
    day: datetime.date,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    min_percent: int,
) -> Analysis:
    """Read every line below the header (see the module docstring). ``columns`` must be complete."""
    assert columns.complete and columns.header_index is not None
    by_email: dict[str, list[Person]] = {}
    by_phone: dict[str, list[Person]] = {}
    for person in people:
        if person.email:
            by_email.setdefault(person.email.lower(), []).append(person)
        if person.phone:
            by_phone.setdefault(person.phone, []).append(person)
    states = {p.registration_id: p for p in people}
    result: list[Line] = []
    intervals: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    numbers: dict[int, list[int]] = {}
    for cells, number in zip(lines[columns.header_index + 1 :], line_numbers[columns.header_index + 1 :], strict=True):
        values = {f: (cells[i] if i < len(cells) else "") for f, i in columns.indexes.items()}
        line = Line(number=number, values=values)
        result.append(line)
        for key, attr in (("join", "joined"), ("leave", "left")):
            value, problem = parse_time(values.get(key, ""), columns.time_format, day)
            if value is None:
                line.problems.append(
                    (key, _("%(field)s: %(problem)s") % {"field": FIELD_LABELS[key], "problem": problem})
                )
            elif value.astimezone(SHANGHAI).date() != day:
                line.problems.append(
                    (
                        key,
                        _("%(value)s is not on the session's day %(day)s.")
                        % {"value": f"{value:%Y-%m-%d %H:%M:%S}", "day": day},
                    )
                )
            else:
                setattr(line, attr, value)
        if line.joined and line.left and line.left < line.joined:
            line.problems.append(
                (
                    "leave",
                    _("Leave time %(left)s is before join time %(joined)s.")
                    % {"left": f"{line.left:%H:%M:%S}", "joined": f"{line.joined:%H:%M:%S}"},
                )
            )
        person, problem = _match(values, people, by_email, by_phone)
        if problem:
            line.problems.append(problem)
        elif person is not None and person.state != RegistrationState.CONFIRMED:
            line.problems.append(
                (
                    "name",
                    _("%(name)s is registered but not confirmed (%(state)s).")
                    % {"name": person.name or person.email, "state": person.state_label},
                )
            )
        elif person is not None:
            line.registration_id = person.registration_id
        if line.problems:
            continue
        assert line.registration_id is not None and line.joined and line.left
        intervals.setdefault(line.registration_id, []).append((line.joined, line.left))
        numbers.setdefault(line.registration_id, []).append(number)
    scheduled = int((ends_at - starts_at).total_seconds())
    outcomes: dict[int, Outcome] = {}
    for registration_id, person in states.items():
        if person.state != RegistrationState.CONFIRMED:
            continue
        merged = merge_intervals(intervals.get(registration_id, []))
        present = int(sum((b - a).total_seconds() for a, b in merged))
        in_schedule = _clip_seconds(merged, starts_at, ends_at)
        outcomes[registration_id] = Outcome(
            registration_id=registration_id,
            seconds_present=present,
            seconds_in_schedule=in_schedule,
            attended=attended(in_schedule, scheduled, min_percent),
            intervals=[(f"{a:%H:%M:%S}", f"{b:%H:%M:%S}") for a, b in merged],
            lines=numbers.get(registration_id, []),
        )
    return Analysis(
        columns=columns,
        lines=result,
        outcomes=outcomes,
        matched_lines=sum(1 for ln in result if ln.registration_id is not None and not ln.problems),
        problem_lines=sum(1 for ln in result if ln.problems),
    )
