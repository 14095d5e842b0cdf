"""One form-field template: every app renders fields through core/_field.html (whole forms through
core/_fields.html, filter bars through core/_filter_fields.html), never its own label/errors loop."""

from __future__ import annotations

import re
from pathlib import Path

from django.forms import CharField, ChoiceField, Form, HiddenInput
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parents[2]
# Composite widgets whose errors belong to a group of inputs (a picker with a search box; the
# expected-audience numbers stored in one JSON field): they keep a hand-written block.
ALLOWED = {
    "notices/templates/notices/form.html": "form.audience_organisations.errors",
    "activities/templates/activities/form.html": "form.audience_expected.errors",
    # "confirm replacing the loaded figures" is asked in a warning box, not as a field error
    "tradingdata/templates/tradingdata/overview.html": "form.confirm_replace.errors",
}
HAND_RENDERED = re.compile(
    r"\{% for field in [\w.]+ %\}(?!\{% include \"core/_field\.html\")|field\.errors|\{\{ [\w.]+\.errors \}\}"
)


def test_no_template_renders_fields_by_hand():
    offenders = []
    for path in ROOT.rglob("*.html"):
        rel = str(path.relative_to(ROOT))
        if rel.startswith("core/templates/core/") or rel.startswith("tracking/"):
            continue
        for match in HAND_RENDERED.finditer(path.read_text(encoding="utf-8")):
            if ALLOWED.get(rel) != match.group(0).strip("{} "):
                offenders.append(f"{rel}: {match.group(0)}")
    assert offenders == []


class _Filters(Form):
    q = CharField(label="关键词", required=False)
    state = ChoiceField(label="状态", choices=[("", "全部"), ("open", "处理中")], required=False)
    cursor = CharField(widget=HiddenInput, required=False)


def test_filter_fields_render_labels_errors_and_hidden_fields():
    form = _Filters(data={"state": "nope", "cursor": "abc"})
    assert not form.is_valid()
    html = render_to_string("core/_filter_fields.html", {"form": form})
    assert '<label for="id_q">关键词' in html and 'type="hidden" name="cursor" value="abc"' in html
    assert 'class="field-error"' in html and 'id="id_state_errors"' in html


def test_fields_render_non_field_errors_and_each_field_once():
    form = _Filters(data={"state": "nope"})
    form.is_valid()
    form.add_error(None, "整体错误")
    html = render_to_string("core/_fields.html", {"form": form})
    assert html.count('role="alert"') == 1 and "整体错误" in html
    assert html.count('for="id_q"') == 1 and 'name="cursor"' in html
