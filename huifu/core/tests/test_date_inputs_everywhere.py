"""Every date and datetime-local input of every form in Huifu renders a saved value in ISO, in
Chinese (the default) as in English: ``<input type="date">`` rejects ``2026/12/03`` (what Django's
zh_Hans formats wrote), so editing a saved record in Chinese showed its dates empty and saving
lost them. A new form with a date is covered by this test without being listed."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.utils import timezone, translation

import huifu

DATE = datetime.date(2026, 12, 3)
MOMENT = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 30))


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in pkgutil.iter_modules(huifu.__path__):
        if not app.ispkg:
            continue
        package = importlib.import_module(f"huifu.{app.name}")
        for sub in pkgutil.iter_modules(package.__path__):
            if not sub.name.startswith("forms"):
                continue
            module = importlib.import_module(f"huifu.{app.name}.{sub.name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def _dated_fields() -> list[tuple[str, str, forms.Field]]:
    out = []
    for cls in _form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if getattr(field.widget, "input_type", "") in ("date", "datetime-local"):
                out.append((f"{cls.__module__}.{cls.__qualname__}", name, field))
    return out


DATED = _dated_fields()


def test_the_inventory_finds_the_known_date_forms():
    names = {f"{form}.{field}" for form, field, _f in DATED}
    assert {
        "huifu.activities.forms.ApplicationForm.starts_on",
        "huifu.incentives.forms.ProjectForm.period_start",
        "huifu.products.forms.ProductForm.listed_on",
        "huifu.budget.forms.InvoiceForm.issue_date",
        "huifu.hotline.forms.SettingForm.effective_from",
        "huifu.hotline.forms.CallForm.received_at",
        "huifu.settlements.forms.RunForm.period_start",
        "huifu.tradingdata.forms.ClosureForm.day",
        "huifu.audit.forms.AuditFilterForm.date_from",
        "huifu.events.forms.SessionForm.registration_closes_at",
        "huifu.deepening.forms.PlanForm.period_start",
        "huifu.visits.forms.ArrangeForm.starts_at",
    } <= names, sorted(names)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("form", "name", "field"), DATED, ids=[f"{f}.{n}" for f, n, _x in DATED])
def test_a_saved_date_renders_in_iso(language, form, name, field):
    with translation.override(language):
        if field.widget.input_type == "date":
            html = field.widget.render(name, DATE)
            assert 'value="2026-12-03"' in html, html
        else:
            html = field.widget.render(name, MOMENT)
            assert re.search(r'value="2026-12-03[T ]09:30(:00)?"', html), html
