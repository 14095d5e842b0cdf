"""``form_submitted``: the common POST shape, both ways (a refusal keeps the form, nothing else)."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from huifu.core.http import form_submitted


class _Form(forms.Form):
    amount = forms.IntegerField(min_value=0)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_valid_form_calls_the_service_with_its_data_and_says_so():
    calls = []
    request = _request()
    assert form_submitted(request, _Form({"amount": "3"}), lambda **data: calls.append(data), success="已保存。")
    assert calls == [{"amount": 3}]
    assert [str(m) for m in get_messages(request)] == ["已保存。"]


def test_an_invalid_form_does_not_call_the_service():
    calls = []
    form = _Form({"amount": "-1"})
    assert not form_submitted(_request(), form, lambda **data: calls.append(data), success="已保存。")
    assert calls == [] and "amount" in form.errors


def test_a_refusal_lands_next_to_the_field_it_names_and_no_success_message():
    def refuse(**data):
        raise ValidationError({"amount": ["超过本年度余额。"]})

    request = _request()
    form = _Form({"amount": "5"})
    assert not form_submitted(request, form, refuse, success="已保存。")
    assert form.errors["amount"] == ["超过本年度余额。"]
    assert list(get_messages(request)) == []
