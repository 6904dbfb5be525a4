from django import forms
from django.utils.translation import gettext_lazy as _

from .importers import KINDS


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("您的问题"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("例如：生孩子工会给多少慰问金？"), "autocomplete": "off"}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（.md .docx .pdf .txt）"))
    title = forms.CharField(label=_("标题（不填则取文件中的标题）"), max_length=200, required=False)

    def clean_file(self):  # noqa: ANN201
        file = self.cleaned_data["file"]
        if not any(file.name.lower().endswith(ext) for ext in KINDS):
            raise forms.ValidationError(_("只支持 .md .docx .pdf .txt 文件。"))
        if file.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return file


class StaffAnswerForm(forms.Form):
    text = forms.CharField(label=_("人工解答"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
