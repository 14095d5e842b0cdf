"""Forms of the materials pages. The service checks everything again (the file by content)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.files.kept import KeepUploadsMixin
from huifu.files.validation import max_upload_bytes

from .models import MaterialAudience, MaterialKind


class MaterialForm(KeepUploadsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Published to"),
        choices=MaterialAudience.choices,
        widget=forms.RadioSelect,
        help_text=_("Who may see the material once the compliance review approves it."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Slides: PDF or PowerPoint (.pptx). Handouts: PDF or Word (.docx). Recordings: MP4."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.docx,.mp4"}),
    )
    link = forms.CharField(
        label=_("Replay link"),
        required=False,
        max_length=500,
        help_text=_("Recordings only: the platform's replay address instead of a file."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["data-max-bytes"] = str(max_upload_bytes())
        if editing:
            self.fields["kind"].disabled = True
            self.fields["upload"].help_text = _("Choose a file only to replace the current one.")


class ReviewForm(forms.Form):
    ticked = forms.MultipleChoiceField(
        label=_("Compliance checklist"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note or reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the material: say what must change."),
    )

    def __init__(self, *args: Any, items: list[Any], language: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = [(item.code, item.label(language)) for item in items]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), required=False, max_length=500)
