"""One phone rule for every phone field: mobile, landline with area code, service number."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from huifu.core.phones import PhoneField, validate_phone


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "138 1234 5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "021-68400000",
        "(010) 1234 5678",
        "0755-12345678",
        "021-68400000 转 123",
        "021-68400000-123",
        "021-68400000 ext. 123",
        "021-68400000#123",
        "+86 21 6840 0000",
        "400-820-1234",
        "１３８１２３４５６７８",
        "021-68400000 / 13812345678",
        "+44 20 7946 0958",
        "",
    ],
)
def test_mobile_landline_and_service_numbers_pass(value):
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    ["abc", "138abc", "12345", "68400000", "1381234567", "23812345678", "021-684", "+", "13812345678 abc", "--"],
)
def test_anything_else_is_refused_with_a_clear_message(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(value)
    assert excinfo.value.code == "invalid_phone"


class _Form(forms.Form):
    phone = PhoneField(label="电话", required=False)


def test_the_form_field_is_a_tel_input_and_folds_full_width_digits():
    form = _Form(data={"phone": " １３８１２３４５６７８ "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "13812345678"
    assert 'type="tel"' in str(form["phone"])


def test_the_message_is_chinese_and_names_what_to_type():
    with translation.override("zh-hans"):
        form = _Form(data={"phone": "abc"})
        assert not form.is_valid()
        assert "手机号" in form.errors["phone"][0] and "区号" in form.errors["phone"][0]
