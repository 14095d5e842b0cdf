"""Compose the yearly arrangements document from a year's records, as plain data.

:func:`compose` reads the year's texts, fills the placeholders from the records (``facts.py``),
renders the flows from the workflows Huifu runs (``workflows.py``), numbers the programmes and
the footnotes, and returns a JSON-able dict: the *document*. The .docx and PDF writers
(``render_docx.py``, ``render_pdf.py``), the page and the year-on-year comparison all read that
dict, and freezing a year stores it. The same records always give the same dict: programmes in
(part, position) order, footnotes numbered in order of first citation, no clock read.

A paragraph is a list of runs: ``["t", text]`` or ``["fn", number]`` (a footnote mark)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import facts, workflows
from .models import PART_HEADINGS, PART_ORDER, SECTION_HEADINGS, SECTION_ORDER, ArrangementYear, SectionKind

FORMAT_VERSION = 1
ATTACHMENT_LABEL = "附件"
TITLE_SECOND_LINE = "会员服务和投资者教育工作安排"
OPTIONAL_STEPS = "（部分项目还包括{steps}。）"
FOOTNOTES = {"hotline": "hotline_note", "pilots": "pilots_note"}
BRACES = re.compile(r"\{([^{}]*)\}")
PLACEHOLDER = re.compile(r"^([a-z_]+)(?::([a-z0-9_]+))?$")
CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """一 … 九十九, as the document numbers its programmes."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def paragraphs_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---- checking texts (the edit forms call these; composing calls them again) ----


def text_errors(text: str, *, flow_allowed: bool = False, footnotes_allowed: bool = True) -> list[str]:
    """What is wrong with a staff-edited text, in words naming the placeholder."""
    errors: list[str] = []
    for match in BRACES.finditer(text or ""):
        token = match.group(1)
        parsed = PLACEHOLDER.match(token)
        name, arg = (parsed.group(1), parsed.group(2)) if parsed else ("", None)
        if name == "flow" and arg:
            if not flow_allowed:
                errors.append(_("{%(token)s}: a flow may only be cited in the procedure.") % {"token": token})
            elif arg not in workflows.FLOWS:
                errors.append(
                    _("{%(token)s}: there is no workflow “%(arg)s”. Known workflows: %(known)s.")
                    % {"token": token, "arg": arg, "known": ", ".join(workflows.FLOWS)}
                )
        elif name == "footnote" and arg:
            if not footnotes_allowed or arg not in FOOTNOTES:
                errors.append(
                    _("{%(token)s}: unknown footnote. Known footnotes: %(known)s.")
                    % {"token": token, "known": ", ".join(FOOTNOTES)}
                )
        elif not parsed or arg is not None or name not in facts.FACTS:
            errors.append(
                _("Unknown placeholder {%(token)s}. Known placeholders: %(known)s.")
                % {"token": token, "known": ", ".join(f"{{{k}}}" for k in facts.FACTS)}
            )
    if flow_allowed and workflows.STEP_JOIN in BRACES.sub("", text or ""):
        errors.append(
            _("Steps joined by “——” must come from a workflow: cite it as {flow:…} instead of typing the steps.")
        )
    return errors


def programme_errors(programme: Any) -> dict[str, list[str]]:
    """Field → errors of one programme's texts (its workflow must be cited in its procedure)."""
    found: dict[str, list[str]] = {}
    for name in ("background", "introduction", "procedure", "support"):
        errs = text_errors(getattr(programme, name), flow_allowed=name == "procedure")
        if errs:
            found[name] = errs
    if programme.workflow and f"{{flow:{programme.workflow}}}" not in (programme.procedure or ""):
        found.setdefault("procedure", []).append(
            _("The procedure must cite the programme's workflow as {flow:%(key)s}.") % {"key": programme.workflow}
        )
    return found


def year_errors(plan: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in ("preface", "closing"):
        errs = text_errors(getattr(plan, name))
        if errs:
            found[name] = errs
    for name in ("hotline_note", "pilots_note"):
        errs = text_errors(getattr(plan, name), footnotes_allowed=False)
        if errs:
            found[name] = errs
    return found


# ---- composing ----


@dataclass
class _Composer:
    plan: ArrangementYear
    resolve: facts.Resolver
    footnotes: list[dict[str, Any]] = field(default_factory=list)
    where: str = ""

    def fail(self, message: str) -> ValidationError:
        if self.where:
            message = _("%(where)s: %(message)s") % {"where": self.where, "message": message}
        return ValidationError(message, code="document")

    def fact(self, name: str) -> str:
        try:
            return self.resolve(name)
        except facts.UnknownFact as exc:
            raise self.fail(
                _("Unknown placeholder {%(name)s}. Known placeholders: %(known)s.")
                % {"name": exc.name, "known": ", ".join(f"{{{k}}}" for k in facts.FACTS)}
            ) from exc
        except facts.MissingFact as exc:
            raise self.fail(_("{%(name)s}: %(problem)s") % {"name": name, "problem": exc.args[0]}) from exc

    def plain(self, text: str) -> str:
        """Fill fact placeholders only (flow phrases, footnote texts, titles)."""
        errors = text_errors(text, footnotes_allowed=False)
        if errors:
            raise self.fail(" ".join(errors))
        return BRACES.sub(lambda m: self.fact(m.group(1)), text)

    def footnote(self, key: str) -> int:
        for note in self.footnotes:
            if note["key"] == key:
                return note["n"]
        n = len(self.footnotes) + 1
        where = self.where
        self.where = _("footnote %(key)s") % {"key": key}
        self.footnotes.append({"n": n, "key": key, "text": self.plain(getattr(self.plan, FOOTNOTES[key]))})
        self.where = where
        return n

    def paragraphs(self, text: str, *, procedure: bool = False) -> list[list[list[Any]]]:
        errors = text_errors(text, flow_allowed=procedure)
        if errors:
            raise self.fail(" ".join(errors))
        result: list[list[list[Any]]] = []
        for line in paragraphs_of(text):
            runs: list[list[Any]] = []
            tail: list[str] = []
            pos = 0
            for match in BRACES.finditer(line):
                runs.append(["t", line[pos : match.start()]])
                name, _sep, arg = match.group(1).partition(":")
                if name == "footnote":
                    runs.append(["fn", self.footnote(arg)])
                elif name == "flow":
                    main, optional = workflows.flow_parts(arg)
                    runs.append(["t", workflows.STEP_JOIN.join(self.plain(p) for p in main)])
                    if optional:
                        steps = workflows.OPTIONAL_JOIN.join(self.plain(p) for p in optional)
                        tail.append(OPTIONAL_STEPS.format(steps=steps))
                else:
                    runs.append(["t", self.fact(name)])
                pos = match.end()
            runs.append(["t", line[pos:]])
            result.append(_merge(runs))
            result.extend([["t", t]] for t in tail)
        return result


def _merge(runs: Iterable[list[Any]]) -> list[list[Any]]:
    merged: list[list[Any]] = []
    for kind, value in runs:
        if kind == "t" and not value:
            continue
        if kind == "t" and merged and merged[-1][0] == "t":
            merged[-1][1] += value
        else:
            merged.append([kind, value])
    return merged


def compose(plan: ArrangementYear) -> dict[str, Any]:
    """The document of a year. A frozen year returns its snapshot (never the live records)."""
    if plan.is_frozen:
        return plan.snapshot
    return compose_live(plan)


def compose_live(plan: ArrangementYear) -> dict[str, Any]:
    """Raises ``ValidationError`` naming the programme and section of any text that cannot be
    filled (unknown placeholder, a fact the records lack)."""
    c = _Composer(plan=plan, resolve=facts.Resolver(plan))
    c.where = _("title")
    title = [f"{plan.year}年{c.fact('exchange_name')}", TITLE_SECOND_LINE]
    c.where = _("preface")
    preface = c.paragraphs(plan.preface)
    programmes = list(plan.programmes.order_by("part", "position", "key"))
    parts = []
    for part in PART_ORDER:
        in_part = sorted((p for p in programmes if p.part == part), key=lambda p: (p.position, p.key))
        if not in_part:
            continue
        rendered = []
        numbered = 0
        for programme in in_part:
            heading = ""
            if programme.title:
                numbered += 1
                heading = f"{cn_number(numbered)}、{programme.title}"
            sections = []
            for kind in SECTION_ORDER:
                text = programme.section_text(kind)
                if not paragraphs_of(text):
                    continue
                c.where = f"{programme} · {SECTION_HEADINGS[kind]}"
                sections.append(
                    {
                        "kind": str(kind),
                        "heading": SECTION_HEADINGS[kind],
                        "paragraphs": c.paragraphs(text, procedure=kind == SectionKind.FLOW),
                    }
                )
            rendered.append(
                {"key": programme.key, "heading": heading, "workflow": programme.workflow, "sections": sections}
            )
        parts.append({"key": str(part), "heading": PART_HEADINGS[part], "programmes": rendered})
    c.where = _("closing words")
    closing = c.paragraphs(plan.closing)
    c.where = _("attachment")
    form = {"year": plan.year, "mailbox": c.fact("msc_mailbox")}
    c.where = ""
    return {
        "format": FORMAT_VERSION,
        "year": plan.year,
        "as_of": plan.as_of.isoformat(),
        "attachment": ATTACHMENT_LABEL,
        "title": title,
        "preface": preface,
        "parts": parts,
        "closing": closing,
        "footnotes": c.footnotes,
        "form": form,
        "facts": dict(sorted(c.resolve.values.items())),
    }


# ---- reading the document ----


def run_text(paragraph: list[list[Any]], *, mark: str = "[{n}]") -> str:
    return "".join(value if kind == "t" else mark.format(n=value) for kind, value in paragraph)


def headings(document: dict[str, Any]) -> list[str]:
    """Every heading, in order: parts, programmes, sections."""
    out: list[str] = []
    for part in document["parts"]:
        out.append(part["heading"])
        for programme in part["programmes"]:
            if programme["heading"]:
                out.append(programme["heading"])
            out.extend(section["heading"] for section in programme["sections"])
    return out


def document_text(document: dict[str, Any]) -> str:
    """The document as plain text, line by line (what a reader sees, footnotes at the end)."""
    from .form import form_lines

    lines = [document["attachment"], *document["title"]]
    lines += [run_text(p) for p in document["preface"]]
    for part in document["parts"]:
        lines.append(part["heading"])
        for programme in part["programmes"]:
            if programme["heading"]:
                lines.append(programme["heading"])
            for section in programme["sections"]:
                lines.append(section["heading"])
                lines += [run_text(p) for p in section["paragraphs"]]
    lines += [run_text(p) for p in document["closing"]]
    lines += form_lines(document)
    lines += [f"[{note['n']}] {note['text']}" for note in document["footnotes"]]
    return "\n".join(lines) + "\n"


# ---- year on year ----


@dataclass
class Change:
    where: str
    status: str  # "same", "changed", "added", "removed"
    ops: list[tuple[str, str]]  # ("equal"|"insert"|"delete", text)


def _blocks(document: dict[str, Any]) -> list[tuple[tuple[str, ...], str, str]]:
    """(key, where, text) of every block: preface, sections, closing, footnotes, facts."""
    notes = {n["n"]: n["key"] for n in document["footnotes"]}

    def text(paragraphs: list[list[list[Any]]]) -> str:
        return "\n".join("".join(v if k == "t" else f"[{notes.get(v, v)}]" for k, v in p) for p in paragraphs)

    blocks = [(("preface",), _("Preface"), text(document["preface"]))]
    for part in document["parts"]:
        for programme in part["programmes"]:
            name = programme["heading"] or part["heading"]
            for section in programme["sections"]:
                blocks.append(
                    (
                        ("section", part["key"], programme["key"], section["kind"]),
                        f"{part['heading']} · {name} · {section['heading']}",
                        text(section["paragraphs"]),
                    )
                )
    blocks.append((("closing",), _("Closing words"), text(document["closing"])))
    for note in document["footnotes"]:
        blocks.append((("footnote", note["key"]), _("Footnote: %(key)s") % {"key": note["key"]}, note["text"]))
    for name, value in document.get("facts", {}).items():
        blocks.append((("fact", name), _("Fact: {%(name)s}") % {"name": name}, value))
    return blocks


def _ops(old: str, new: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", new[j1:j2]))
        else:
            if i2 > i1:
                ops.append(("delete", old[i1:i2]))
            if j2 > j1:
                ops.append(("insert", new[j1:j2]))
    return ops


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Block by block, in the new document's order; blocks only in the old one come last."""
    before = {key: (where, text) for key, where, text in _blocks(old)}
    changes: list[Change] = []
    seen = set()
    for key, where, text in _blocks(new):
        seen.add(key)
        if key not in before:
            changes.append(Change(where, "added", [("insert", text)]))
        elif before[key][1] == text:
            changes.append(Change(where, "same", [("equal", text)]))
        else:
            changes.append(Change(where, "changed", _ops(before[key][1], text)))
    for key, (where, text) in before.items():
        if key not in seen:
            changes.append(Change(where, "removed", [("delete", text)]))
    return changes
