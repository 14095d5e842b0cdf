import pytest
from django import forms
from django.utils import translation

from huifu.files.forms import StoredFileField
from huifu.files.kinds import SPREADSHEET_KINDS

from .conftest import MINIMAL_PDF, upload, xlsx_bytes


class ImportForm(forms.Form):
    workbook = StoredFileField(label="Workbook", allowed_kinds=SPREADSHEET_KINDS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_valid_upload_passes_and_is_returned():
    f = upload("名单.xlsx", xlsx_bytes())
    form = ImportForm(files={"workbook": f})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["workbook"] is f


def test_wrong_kind_shows_error_next_to_the_field():
    form = ImportForm(files={"workbook": upload("名单.xlsx", MINIMAL_PDF)})
    assert not form.is_valid()
    assert "名单.xlsx" in form.errors["workbook"][0]


def test_widget_hints_accepted_extensions():
    assert ImportForm().fields["workbook"].widget.attrs["accept"] == ".xlsx"
